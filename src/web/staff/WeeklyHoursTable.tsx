import type { Weekday } from '../../modules/catalog/model.ts';
import { TableWrap } from '../components/TableWrap.tsx';
import { fieldId } from './admin-page.ts';

/**
 * The weekly opening-hours grid shared by the service-unit channel editor and the inbox
 * team form: one row per weekday with an "opens" and a "closes" HH:MM text input named
 * `${prefix}.${day}.from|to`. The heading and the format hint stay in each page (their
 * levels and wording differ); the table points at them through titleId and hintId, so
 * the hint is read with every input instead of living in input text that disappears on typing.
 */
export function WeeklyHoursTable(props: {
  /** Accessible name of the scroll container. */
  label: string;
  className: string;
  titleId: string;
  hintId: string;
  prefix: string;
  days: readonly Weekday[];
  columns: { day: string; opens: string; closes: string };
  dayName: (day: Weekday) => string;
  inputLabel: (k: 'from' | 'to', day: Weekday) => string;
  value: (day: Weekday, k: 'from' | 'to') => string | undefined;
  error: (name: string) => string | undefined;
  maxLength?: number;
}) {
  return (
    <TableWrap label={props.label}>
      <table className={props.className} aria-labelledby={props.titleId}>
        <thead>
          <tr>
            <th scope="col">{props.columns.day}</th>
            <th scope="col">{props.columns.opens}</th>
            <th scope="col">{props.columns.closes}</th>
          </tr>
        </thead>
        <tbody>
          {props.days.map((day) => (
            <tr key={day}>
              <th scope="row">{props.dayName(day)}</th>
              {(['from', 'to'] as const).map((k) => {
                const name = `${props.prefix}.${day}.${k}`;
                const e = props.error(name);
                return (
                  <td key={k}>
                    <input
                      id={fieldId(name)}
                      name={name}
                      type="text"
                      inputMode="numeric"
                      pattern="[0-2][0-9]:[0-5][0-9]"
                      size={6}
                      maxLength={props.maxLength}
                      defaultValue={props.value(day, k)}
                      aria-label={props.inputLabel(k, day)}
                      aria-invalid={e ? true : undefined}
                      aria-describedby={e ? `${props.hintId} ${fieldId(name)}-error` : props.hintId}
                    />
                    {e && (
                      <p id={`${fieldId(name)}-error`} className="field-error">
                        {e}
                      </p>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
