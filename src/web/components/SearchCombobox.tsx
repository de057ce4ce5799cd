import { useEffect, useState } from 'react';
import { translator } from '../i18n/define.ts';
import { routingText } from '../i18n/routing.ts';
import { useRoot } from '../root.tsx';
import { ComboboxListbox, useCombobox } from './useCombobox.tsx';

interface Suggestion {
  kind: 'service' | 'unit' | 'page';
  id: string;
  title: string;
  titleLang: string;
  path: string;
}

/**
 * The search box's input. Server-rendered it is a plain search field of a GET form, so
 * search works without JavaScript. Once hydrated it becomes a WAI-ARIA 1.2 combobox with a
 * listbox popup of the routing engine's suggestions (GET /api/v1/route?suggest=1, debounced):
 * ArrowDown/ArrowUp move, Enter opens the highlighted suggestion (or submits the form when
 * none is highlighted), Escape closes the list, and a live region says how many there are.
 */
export function SearchCombobox({ id, defaultValue, describedBy }: { id: string; defaultValue: string; describedBy?: string }) {
  const { lang } = useRoot();
  const t = translator(routingText, lang);
  const [value, setValue] = useState(defaultValue);
  const go = (s: Suggestion) => window.location.assign(s.path);
  const combo = useCombobox<Suggestion>({
    id,
    value,
    lang,
    minLength: 3,
    fetchItems: async (q, signal) => {
      const res = await fetch(`/api/v1/route?${new URLSearchParams({ q, lang, suggest: '1' })}`, {
        signal,
        headers: { accept: 'application/json' },
      });
      if (!res.ok) return undefined;
      const body = (await res.json()) as { confident: boolean; results: Suggestion[] };
      return body.confident ? body.results : [];
    },
    statusText: (n) => (n === 0 ? t('noSuggestions') : n === 1 ? t('suggestionCountOne') : t('suggestionCount', { n })),
    // Enter with nothing highlighted submits the search form.
    onPick: go,
    onEscapeWhenClosed: () => {
      if (value) {
        setValue('');
        combo.setItems([]);
      }
    },
  });
  const { active, optionId } = combo;

  useEffect(() => {
    if (active >= 0) document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  return (
    <div className="combobox">
      <input
        id={id}
        name="q"
        type="search"
        value={value}
        maxLength={200}
        aria-describedby={describedBy}
        autoComplete="off"
        onChange={(e) => {
          setValue(e.target.value);
          combo.setDirty(true);
        }}
        onKeyDown={combo.onKeyDown}
        onBlur={combo.onBlur}
        {...combo.comboboxProps}
      />
      <ComboboxListbox combo={combo} label={t('suggestions')} itemKey={(s) => `${s.kind}:${s.id}`} onPick={go}>
        {(s) => (
          <>
            <span lang={s.titleLang !== lang ? s.titleLang : undefined}>{s.title}</span>
            <span className="suggestion-kind"> – {t(`kind_${s.kind}`)}</span>
          </>
        )}
      </ComboboxListbox>
    </div>
  );
}
