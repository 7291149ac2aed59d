// One filter of a list's filter row: a labelled drop-down whose first option ("All …") is no
// filter. The value is the option's text value ("" for none); callers convert it back.
export function FilterSelect({
  label,
  value,
  onChange,
  allLabel,
  options,
  testId,
}: {
  label: string;
  value: string | number | null;
  onChange: (value: string) => void;
  allLabel: string;
  options: readonly { value: string | number; label: string }[];
  testId?: string;
}) {
  return (
    <label>
      <span>{label}</span>
      <select value={value ?? ""} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        <option value="">{allLabel}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
