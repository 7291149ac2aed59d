import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { usePermitPick } from "../../api/queries";
import type { PermitRow } from "../../api/types";
import { Icon } from "../../components/Icon";

export type PermitRef = { id: number; label: string };

export function permitLabel(r: PermitRow): string {
  return `${r.permit_number ?? r.registration_id} — ${r.applicant}`;
}

/** Picks one permit by typing its number, registration id or applicant (the renewal-of link). */
export function PermitPicker({
  value,
  onChange,
  excludeId,
  id,
  testId,
  ...aria
}: {
  value: PermitRef | null;
  onChange: (v: PermitRef | null) => void;
  excludeId?: number;
  id?: string;
  testId?: string;
  "aria-describedby"?: string;
  "aria-invalid"?: boolean;
}) {
  const { t } = useTranslation();
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  useEffect(() => {
    const timer = window.setTimeout(() => setQuery(text.trim()), 250);
    return () => window.clearTimeout(timer);
  }, [text]);
  const pick = usePermitPick(query, open);
  const options = (pick.data?.rows ?? []).filter((r) => r.id !== excludeId);

  const choose = (r: PermitRow) => {
    onChange({ id: r.id, label: permitLabel(r) });
    setOpen(false);
    setText("");
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, options.length - 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === "Enter" && open && options[active]) {
      e.preventDefault();
      choose(options[active]!);
    } else if (e.key === "Escape" && open) {
      e.stopPropagation();
      setOpen(false);
      setText("");
    }
  };

  return (
    <div className="combobox permit-picker">
      <div className="picker-row">
        <input
          id={id}
          type="text"
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open && options[active] ? `${listId}-${active}` : undefined}
          value={open ? text : (value?.label ?? "")}
          placeholder={t("permits.pickPlaceholder")}
          onFocus={() => {
            setOpen(true);
            setActive(0);
          }}
          onBlur={() => window.setTimeout(() => setOpen(false), 150)}
          onChange={(e) => {
            setText(e.target.value);
            setActive(0);
            setOpen(true);
          }}
          onKeyDown={onKeyDown}
          autoComplete="off"
          data-testid={testId}
          {...aria}
        />
        {value ? (
          <>
            <a className="btn-icon" href={`#/permits/${value.id}`} title={t("permits.openLinked")} aria-label={t("permits.openLinked")}>
              <Icon name="link" size={14} />
            </a>
            <button type="button" className="btn-icon" onClick={() => onChange(null)} title={t("permits.clearLink")} aria-label={t("permits.clearLink")} data-testid="btn-clear-renewal">
              <Icon name="x" size={14} />
            </button>
          </>
        ) : null}
      </div>
      {open ? (
        <ul className="combobox-list" role="listbox" id={listId}>
          {pick.isPending ? <li className="muted combobox-empty">{t("common.loading")}</li> : null}
          {!pick.isPending && options.length === 0 ? <li className="muted combobox-empty">{t("permits.pickNoMatch")}</li> : null}
          {options.map((r, i) => (
            <li
              key={r.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={value?.id === r.id}
              className={`${i === active ? "active" : ""}${value?.id === r.id ? " selected" : ""}`}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(r);
              }}
              onMouseEnter={() => setActive(i)}
            >
              <span className="mono">{r.permit_number ?? r.registration_id}</span> <span>{r.applicant}</span>{" "}
              <span className="muted small">{r.permit_type_name}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
