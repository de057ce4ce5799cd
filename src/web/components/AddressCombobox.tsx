import { useEffect, useState, type KeyboardEvent } from 'react';
import type { Lang } from '../../platform/i18n.ts';
import { translator } from '../i18n/define.ts';
import { feedbackResident } from '../i18n/feedback-resident.ts';

export interface PlaceSuggestion {
  id: string;
  label: string;
  detail: string;
  labelLang: string;
  lat: number;
  lon: number;
}

const DEBOUNCE_MS = 200;

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
  const [enhanced, setEnhanced] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [items, setItems] = useState<PlaceSuggestion[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [status, setStatus] = useState('');
  const listId = `${id}-suggestions`;
  const optionId = (i: number) => `${id}-option-${i}`;

  useEffect(() => setEnhanced(true), []);

  useEffect(() => {
    if (!enhanced || !dirty) return;
    const q = value.trim();
    if (q.length < 2) {
      setItems([]);
      setOpen(false);
      setActive(-1);
      return;
    }
    const abort = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const res = await fetch(`/api/v1/places/search?${new URLSearchParams({ q, lang, limit: '8' })}`, {
          signal: abort.signal,
          headers: { accept: 'application/json' },
        });
        if (!res.ok) return;
        const body = (await res.json()) as { items: PlaceSuggestion[] };
        setItems(body.items);
        setOpen(body.items.length > 0);
        setActive(-1);
        setStatus(body.items.length === 0 ? t('addressNone') : body.items.length === 1 ? t('addressCountOne') : t('addressCount', { n: body.items.length }));
      } catch {
        // Aborted by newer input, or offline: the server geocodes what was typed.
      }
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [value, dirty, enhanced, lang]);

  const choose = (p: PlaceSuggestion) => {
    setOpen(false);
    setActive(-1);
    setDirty(false);
    setItems([]);
    onChoose(p);
  };

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
      // Enter in the field must never send the whole form by accident.
      if (open && active >= 0 && items[active]) {
        e.preventDefault();
        choose(items[active]);
      } else if (open) e.preventDefault();
    } else if (e.key === 'Escape') {
      if (open) {
        e.preventDefault();
        setOpen(false);
        setActive(-1);
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
          setDirty(true);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        {...combobox}
      />
      {enhanced && (
        <ul id={listId} role="listbox" aria-label={t('addressSuggestions')} className="suggestions" hidden={!open}>
          {items.map((s, i) => (
            <li
              key={s.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(s)}
            >
              <span lang={s.labelLang !== lang ? s.labelLang : undefined}>{s.label}</span>
              {s.detail && <span className="suggestion-kind">, {s.detail}</span>}
            </li>
          ))}
        </ul>
      )}
      <div aria-live="polite" aria-atomic="true" className="visually-hidden">
        {open ? status : ''}
      </div>
    </div>
  );
}
