import type { Lang } from '../../platform/i18n.ts';
import { translator } from '../i18n/define.ts';
import { feedbackResident } from '../i18n/feedback-resident.ts';
import { ComboboxListbox, useCombobox } from './useCombobox.tsx';

export interface PlaceSuggestion {
  id: string;
  label: string;
  detail: string;
  labelLang: string;
  lat: number;
  lon: number;
}

/**
 * The feedback form's address field, the same pattern as the search box (SearchCombobox):
 * server-rendered it is a plain text field and the server geocodes what was typed; once
 * hydrated it is a WAI-ARIA 1.2 combobox over the address register
 * (GET /api/v1/places/search). ArrowDown/ArrowUp move, Enter chooses, Escape closes, a live
 * region tells the count. Choosing reports the place (its coordinates go into the form);
 * typing again clears the choice.
 */
export function AddressCombobox({
  id,
  lang,
  value,
  onChange,
  onChoose,
  describedBy,
  invalid,
  required,
}: {
  id: string;
  lang: Lang;
  value: string;
  onChange: (v: string) => void;
  onChoose: (p: PlaceSuggestion) => void;
  describedBy?: string;
  invalid?: boolean;
  required?: boolean;
}) {
  const t = translator(feedbackResident, lang);
  const choose = (p: PlaceSuggestion) => {
    combo.reset();
    onChoose(p);
  };
  const combo = useCombobox<PlaceSuggestion>({
    id,
    value,
    lang,
    minLength: 2,
    fetchItems: async (q, signal) => {
      const res = await fetch(`/api/v1/places/search?${new URLSearchParams({ q, lang, limit: '8' })}`, {
        signal,
        headers: { accept: 'application/json' },
      });
      if (!res.ok) return undefined;
      return ((await res.json()) as { items: PlaceSuggestion[] }).items;
    },
    statusText: (n) => (n === 0 ? t('addressNone') : n === 1 ? t('addressCountOne') : t('addressCount', { n })),
    onPick: choose,
    // Enter in the field must never send the whole form by accident.
    enterSwallowsWhenOpen: true,
  });

  return (
    <div className="combobox">
      <input
        id={id}
        name="address"
        type="text"
        value={value}
        maxLength={300}
        autoComplete="off"
        spellCheck={false}
        aria-describedby={describedBy}
        aria-invalid={invalid || undefined}
        aria-required={required || undefined}
        onChange={(e) => {
          onChange(e.target.value);
          combo.setDirty(true);
        }}
        onKeyDown={combo.onKeyDown}
        onBlur={combo.onBlur}
        {...combo.comboboxProps}
      />
      <ComboboxListbox combo={combo} label={t('addressSuggestions')} itemKey={(s) => s.id} onPick={choose}>
        {(s) => (
          <>
            <span lang={s.labelLang !== lang ? s.labelLang : undefined}>{s.label}</span>
            {s.detail && <span className="suggestion-kind">, {s.detail}</span>}
          </>
        )}
      </ComboboxListbox>
    </div>
  );
}
