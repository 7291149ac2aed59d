import { useEffect, useId, useMemo, useRef, useState } from "react";

/** A searchable single-choice list (type to filter, arrows to move, Enter to pick, Esc to close). */
export function Combobox({
  value,
  options,
  onChange,
  placeholder,
  noMatch,
  testId,
  id,
  ...aria
}: {
  value: string;
  options: string[];
  onChange: (value: string) => void;
  placeholder: string;
  noMatch: string;
  testId?: string;
  id?: string;
  "aria-describedby"?: string;
  "aria-invalid"?: boolean;
}) {
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);

  const matches = useMemo(() => {
    const q = query.trim().toLowerCase().replace(/\s+/g, "_");
    if (!q) return options;
    return options.filter((o) => o.toLowerCase().includes(q));
  }, [options, query]);

  useEffect(() => {
    if (!open) return;
    listRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.scrollIntoView?.({ block: "nearest" });
  }, [active, open]);

  const pick = (v: string) => {
    setOpen(false);
    setQuery("");
    if (v !== value) onChange(v);
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, matches.length - 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === "Enter") {
      if (open && matches[active]) {
        e.preventDefault();
        pick(matches[active]);
      }
    } else if (e.key === "Escape") {
      if (open) {
        e.stopPropagation();
        setOpen(false);
        setQuery("");
      }
    }
  };

  return (
    <div className="combobox">
      <input
        id={id}
        type="text"
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && matches[active] ? `${listId}-${active}` : undefined}
        value={open ? query : value}
        placeholder={open ? value || placeholder : placeholder}
        onFocus={() => {
          setOpen(true);
          setQuery("");
          setActive(Math.max(0, options.indexOf(value)));
        }}
        onBlur={() => window.setTimeout(() => setOpen(false), 120)}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        autoComplete="off"
        spellCheck={false}
        data-testid={testId}
        {...aria}
      />
      {open ? (
        <ul className="combobox-list" role="listbox" id={listId} ref={listRef}>
          {matches.length === 0 ? <li className="muted combobox-empty">{noMatch}</li> : null}
          {matches.slice(0, 400).map((o, i) => (
            <li
              key={o}
              id={`${listId}-${i}`}
              role="option"
              data-index={i}
              aria-selected={o === value}
              className={`${i === active ? "active" : ""}${o === value ? " selected" : ""}`}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(o);
              }}
              onMouseEnter={() => setActive(i)}
            >
              {o.replace(/_/g, " ")}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
