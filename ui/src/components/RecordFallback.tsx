// What a record's form screen shows in place of the form while there is no record to edit: the
// record is still loading, loading it failed, or there is no such record (an old link, a deleted
// row). Every form screen answers these three the same way.
import { useTranslation } from "react-i18next";
import { navigate } from "../lib/router";
import { ControlPanel, type Crumb } from "./ControlPanel";
import { EmptyState } from "./EmptyState";
import { ErrorBox } from "./ErrorBox";
import type { IconName } from "./Icon";

export function RecordFallback({
  crumbs,
  idParam,
  pending,
  loading = pending,
  error,
  onRetry,
  notFound,
}: {
  /** The crumbs up to the list; the record's own crumb is added here. */
  crumbs: Crumb[];
  /** The id from the address, shown as the last crumb once loading is over. */
  idParam: string;
  /** Nothing loaded yet: the last crumb reads "…". */
  pending: boolean;
  /** Show "Loading…" (defaults to `pending`; a list being fetched again counts too). */
  loading?: boolean;
  /** Why loading failed; null when it did not, or when the failure just means "no such record". */
  error: unknown;
  onRetry: () => void;
  /** The "not found" page: its icon and text, and the list to go back to. */
  notFound: { icon: IconName; body: string; backLabel: string; backTo: string };
}) {
  const { t } = useTranslation();
  return (
    <div className="screen">
      <ControlPanel crumbs={[...crumbs, { label: pending ? "…" : idParam }]} />
      <div className="content">
        {error != null ? (
          <ErrorBox error={error} onRetry={onRetry} />
        ) : loading ? (
          <p className="muted">{t("common.loading")}</p>
        ) : (
          <EmptyState icon={notFound.icon} title={t("errors.code.not_found")} body={notFound.body}>
            <button type="button" className="btn btn-secondary" onClick={() => navigate(notFound.backTo)}>
              {notFound.backLabel}
            </button>
          </EmptyState>
        )}
      </div>
    </div>
  );
}
