import { useTranslation } from "react-i18next";
import { ApiFailure, toFailure } from "../api/client";
import type { ApiError } from "../api/types";
import { useAppInfo } from "../api/queries";
import { Icon } from "./Icon";

export function asApiError(error: unknown): ApiError {
  return (error instanceof ApiFailure ? error : toFailure(error)).error;
}

/** The technical text under a "Details" disclosure. */
export function Details({ text }: { text: string | null | undefined }) {
  const { t } = useTranslation();
  if (!text) return null;
  return (
    <details className="details">
      <summary>{t("errors.details")}</summary>
      <pre>{text}</pre>
    </details>
  );
}

/** An error: what happened, what to do, and the technical details on demand. */
export function ErrorBox({
  error,
  onRetry,
  hideFields = false,
}: {
  error: unknown;
  onRetry?: () => void;
  hideFields?: boolean;
}) {
  const { t } = useTranslation();
  const e = asApiError(error);
  if (e.code === "keyring") return <KeyringBanner message={e.message} details={e.details} />;
  return (
    <div className="alert alert-critical" role="alert" data-testid="error-box" data-code={e.code}>
      <Icon name="alert" size={18} />
      <div className="alert-body">
        <strong>{e.message || t("errors.title")}</strong>
        <p className="muted">{t(`errors.code.${e.code}`)}</p>
        {!hideFields && e.fields.length > 0 ? (
          <ul className="field-list">
            {e.fields.map((f) => (
              <li key={f.field + f.message}>
                <code>{f.field}</code>: {f.message}
              </li>
            ))}
          </ul>
        ) : null}
        <Details text={e.details} />
        {onRetry ? (
          <button type="button" className="btn btn-secondary btn-sm" onClick={onRetry}>
            {t("common.retry")}
          </button>
        ) : null}
      </div>
    </div>
  );
}

/** A prominent banner for a keyring that does not work: the cause and what to do. */
export function KeyringBanner({
  message,
  advice,
  details,
}: {
  message: string | null | undefined;
  advice?: string | null;
  details?: string | null;
}) {
  const { t } = useTranslation();
  const { data: info } = useAppInfo();
  const howTo = advice ?? info?.keyring.advice ?? t("errors.keyringFallback");
  return (
    <div className="alert alert-keyring" role="alert" data-testid="keyring-banner">
      <Icon name="key" size={20} />
      <div className="alert-body">
        <strong>{t("errors.keyringTitle")}</strong>
        {message ? <p>{message}</p> : null}
        <p>{howTo}</p>
        <Details text={details} />
      </div>
    </div>
  );
}
