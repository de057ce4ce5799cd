import type { ReactNode } from 'react';

/**
 * A data table's box. On a phone a table with e-mail addresses, identity codes or
 * timestamps is wider than the screen; squeezing it broke every word into single
 * letters, so instead it keeps readable words and scrolls sideways inside this box
 * (WCAG 1.4.10 allows that for data tables). A box that scrolls must be reachable and
 * scrollable by keyboard and have a name, hence the region role, label and tabIndex.
 */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
