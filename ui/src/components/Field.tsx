import { cloneElement, isValidElement, useId } from "react";
import { useTranslation } from "react-i18next";

/** Translates an i18n key, or returns a server's plain message as it is. */
export function useMessage() {
  const { t, i18n } = useTranslation();
  return (message: string | undefined): string | undefined => {
    if (!message) return undefined;
    return i18n.exists(message) ? (t as unknown as (k: string) => string)(message) : message;
  };
}

/** A labelled form control with its hint, or its error right below it. */
export function Field({
  label,
  name,
  error,
  hint,
  unit,
  after,
  children,
  className,
}: {
  label: string;
  name: string;
  error?: string;
  hint?: React.ReactNode;
  unit?: string;
  after?: React.ReactNode;
  children: React.ReactElement<Record<string, unknown>>;
  className?: string;
}) {
  const id = useId();
  const msg = useMessage()(error);
  const describedBy = msg ? `${id}-error` : hint ? `${id}-hint` : undefined;
  const control = isValidElement(children)
    ? cloneElement(children, {
        id,
        "aria-invalid": msg ? true : undefined,
        "aria-describedby": describedBy,
      })
    : children;
  return (
    <div className={`field${msg ? " has-error" : ""}${className ? ` ${className}` : ""}`} data-field={name}>
      <label htmlFor={id}>{label}</label>
      <div className="field-control">
        {control}
        {unit ? <span className="unit">{unit}</span> : null}
        {after}
      </div>
      {msg ? (
        <p className="field-error" id={`${id}-error`} data-testid={`error-${name}`}>
          {msg}
        </p>
      ) : hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}
