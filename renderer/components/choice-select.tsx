// A <select> over a contract's literal values: the option text is the value, and the change hands
// back one of those values (oneOf), so forms stay typed without a type assertion.
import { oneOf } from './one-of.ts';

export function ChoiceSelect<T extends string>({
  label,
  values,
  value,
  onChange,
  disabled,
}: {
  label: string;
  values: readonly T[];
  value: T;
  onChange: (v: T) => void;
  disabled?: boolean;
}) {
  return (
    <select
      aria-label={label}
      value={value}
      disabled={disabled}
      onChange={(e) => onChange(oneOf(values, e.target.value, value))}
    >
      {values.map((v) => (
        <option key={v} value={v}>
          {v}
        </option>
      ))}
    </select>
  );
}
