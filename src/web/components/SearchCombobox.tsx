import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { translator } from '../i18n/define.ts';
import { routingText } from '../i18n/routing.ts';
import { useRoot } from '../root.tsx';

interface Suggestion {
  kind: 'service' | 'unit' | 'page';
  id: string;
  title: string;
  titleLang: string;
  path: string;
}

const DEBOUNCE_MS = 200;

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
  const [enhanced, setEnhanced] = useState(false);
  const [value, setValue] = useState(defaultValue);
  const [dirty, setDirty] = useState(false);
  const [items, setItems] = useState<Suggestion[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [status, setStatus] = useState('');
  const listRef = useRef<HTMLUListElement>(null);
  const listId = `${id}-suggestions`;
  const optionId = (i: number) => `${id}-option-${i}`;

  useEffect(() => setEnhanced(true), []);

  useEffect(() => {
    if (!enhanced || !dirty) return;
    const q = value.trim();
    if (q.length < 3) {
      setItems([]);
      setOpen(false);
      setActive(-1);
      return;
    }
    const abort = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const res = await fetch(`/api/v1/route?${new URLSearchParams({ q, lang, suggest: '1' })}`, {
          signal: abort.signal,
          headers: { accept: 'application/json' },
        });
        if (!res.ok) return;
        const body = (await res.json()) as { confident: boolean; results: Suggestion[] };
        const list = body.confident ? body.results : [];
        setItems(list);
        setOpen(list.length > 0);
        setActive(-1);
        setStatus(list.length === 0 ? t('noSuggestions') : list.length === 1 ? t('suggestionCountOne') : t('suggestionCount', { n: list.length }));
      } catch {
        // Aborted by newer input, or offline: the form still works.
      }
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [value, dirty, enhanced, lang]);

  useEffect(() => {
    if (active >= 0) document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const go = (s: Suggestion) => window.location.assign(s.path);

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      if (!items.length) return;
      e.preventDefault();
      setOpen(true);
      setActive((a) => (a + 1) % items.length);
    } else if (e.key === 'ArrowUp') {
      if (!items.length) return;
      e.preventDefault();
      setOpen(true);
      setActive((a) => (a <= 0 ? items.length - 1 : a - 1));
    } else if (e.key === 'Enter') {
      if (open && active >= 0 && items[active]) {
        e.preventDefault();
        go(items[active]);
      }
    } else if (e.key === 'Escape') {
      if (open) {
        e.preventDefault();
        setOpen(false);
        setActive(-1);
      } else if (value) {
        setValue('');
        setItems([]);
      }
    } else if (e.key === 'Tab') {
      setOpen(false);
    }
  };

  const combobox = enhanced
    ? {
        role: 'combobox' as const,
        'aria-expanded': open,
        'aria-controls': listId,
        'aria-autocomplete': 'list' as const,
        'aria-activedescendant': open && active >= 0 ? optionId(active) : undefined,
      }
    : {};

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
          setDirty(true);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        {...combobox}
      />
      {enhanced && (
        <ul id={listId} ref={listRef} role="listbox" aria-label={t('suggestions')} className="suggestions" hidden={!open}>
          {items.map((s, i) => (
            <li
              key={`${s.kind}:${s.id}`}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => go(s)}
            >
              <span lang={s.titleLang !== lang ? s.titleLang : undefined}>{s.title}</span>
              <span className="suggestion-kind"> – {t(`kind_${s.kind}`)}</span>
            </li>
          ))}
        </ul>
      )}
      {/* Not role=status: the page's own status messages stay the only one there. */}
      <div aria-live="polite" aria-atomic="true" className="visually-hidden">
        {open ? status : ''}
      </div>
    </div>
  );
}
