import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

const DEBOUNCE_MS = 200;

/**
 * The WAI-ARIA 1.2 combobox behaviour shared by the search box (SearchCombobox) and the
 * feedback address field (AddressCombobox). Server-rendered the input is a plain text field
 * (the surrounding form works without JavaScript); once hydrated (`enhanced`) it gets the
 * combobox attributes and a listbox popup of debounced suggestions. ArrowDown/ArrowUp move,
 * Enter picks the highlighted option, Escape closes, Tab closes, and a live region tells the
 * count. Only suggestions for input the user typed are fetched (`dirty`), so a prefilled value
 * does not pop a list open on load.
 */
export function useCombobox<T>({
  id,
  value,
  lang,
  minLength,
  fetchItems,
  statusText,
  onPick,
  enterSwallowsWhenOpen = false,
  onEscapeWhenClosed,
}: {
  id: string;
  value: string;
  lang: string;
  /** Shorter (trimmed) input closes the list without asking the server. */
  minLength: number;
  /** Resolves the suggestions; rejects when aborted or offline (the form still works). */
  fetchItems: (q: string, signal: AbortSignal) => Promise<T[] | undefined>;
  /** The live-region text for n suggestions. */
  statusText: (n: number) => string;
  onPick: (item: T) => void;
  /** Enter with the list open but nothing highlighted is swallowed (so it does not send the form). */
  enterSwallowsWhenOpen?: boolean;
  onEscapeWhenClosed?: () => void;
}) {
  const [enhanced, setEnhanced] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [items, setItems] = useState<T[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [status, setStatus] = useState('');
  const listId = `${id}-suggestions`;
  const optionId = (i: number) => `${id}-option-${i}`;
  // The latest callbacks, so the fetch effect only reruns on input/language change.
  const latest = useRef({ fetchItems, statusText });
  latest.current = { fetchItems, statusText };

  useEffect(() => setEnhanced(true), []);

  useEffect(() => {
    if (!enhanced || !dirty) return;
    const q = value.trim();
    if (q.length < minLength) {
      setItems([]);
      setOpen(false);
      setActive(-1);
      return;
    }
    const abort = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const list = await latest.current.fetchItems(q, abort.signal);
        if (!list) return;
        setItems(list);
        setOpen(list.length > 0);
        setActive(-1);
        setStatus(latest.current.statusText(list.length));
      } catch {
        // Aborted by newer input, or offline: the form still works without suggestions.
      }
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [value, dirty, enhanced, lang]);

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
        onPick(items[active]);
      } else if (open && enterSwallowsWhenOpen) e.preventDefault();
    } else if (e.key === 'Escape') {
      if (open) {
        e.preventDefault();
        setOpen(false);
        setActive(-1);
      } else onEscapeWhenClosed?.();
    } else if (e.key === 'Tab') {
      setOpen(false);
    }
  };

  const comboboxProps = enhanced
    ? {
        role: 'combobox' as const,
        'aria-expanded': open,
        'aria-controls': listId,
        'aria-autocomplete': 'list' as const,
        'aria-activedescendant': open && active >= 0 ? optionId(active) : undefined,
      }
    : {};

  /** Closes the list and forgets the suggestions (after a choice). */
  const reset = () => {
    setOpen(false);
    setActive(-1);
    setDirty(false);
    setItems([]);
  };

  return {
    enhanced,
    items,
    setItems,
    open,
    active,
    status,
    listId,
    optionId,
    setDirty,
    reset,
    onKeyDown,
    onBlur: () => setTimeout(() => setOpen(false), 150),
    comboboxProps,
  };
}

/** The listbox popup and the count live region of a `useCombobox` input. */
export function ComboboxListbox<T>({
  combo,
  label,
  itemKey,
  onPick,
  children,
}: {
  combo: ReturnType<typeof useCombobox<T>>;
  label: string;
  itemKey: (item: T) => string;
  onPick: (item: T) => void;
  children: (item: T) => ReactNode;
}) {
  const { enhanced, items, open, active, status, listId, optionId } = combo;
  return (
    <>
      {enhanced && (
        <ul id={listId} role="listbox" aria-label={label} className="suggestions" hidden={!open}>
          {items.map((s, i) => (
            <li
              key={itemKey(s)}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => onPick(s)}
            >
              {children(s)}
            </li>
          ))}
        </ul>
      )}
      {/* Not role=status: the page's own status messages stay the only one there. */}
      <div aria-live="polite" aria-atomic="true" className="visually-hidden">
        {open ? status : ''}
      </div>
    </>
  );
}
