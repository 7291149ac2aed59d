// Permit types of the permit offices, with their category and reminder ladder.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { usePermitTypes } from "../../api/queries";
import type { PermitCategory, PermitTypeRow } from "../../api/types";
import { Badge } from "../../components/Badge";
import { ControlPanel } from "../../components/ControlPanel";
import { EmptyState } from "../../components/EmptyState";
import { ErrorBox } from "../../components/ErrorBox";
import { navigate } from "../../lib/router";
import { permitLinks } from "../../lib/permitLinks";
import { onRowKeyDown } from "../../lib/rowKeys";
import { useFormat } from "../../lib/useFormat";
import { sortLadder } from "./permitTypeSchema";

export function CategoryBadge({ category }: { category: PermitCategory }) {
  const { t } = useTranslation();
  return (
    <Badge tone={category === "certificate" ? "violet" : "info"} icon={category === "certificate" ? "check" : "permit"}>
      {t(`permitTypes.category.${category}`)}
    </Badge>
  );
}

/** "90 · 60 · 30 · 7 days". */
export function useLadderText() {
  const { t } = useTranslation();
  const f = useFormat();
  return (ladder: number[]) =>
    ladder.length === 0
      ? t("permitTypes.noReminders")
      : t("permitTypes.ladderDays", { days: sortLadder(ladder).map((d) => f.number(d)).join(" · ") });
}

export function PermitTypesList() {
  const { t } = useTranslation();
  const f = useFormat();
  const types = usePermitTypes();
  const ladderText = useLadderText();
  const [query, setQuery] = useState("");

  const open = (r: PermitTypeRow) => navigate(`/permit-types/${r.id}`);
  const q = query.trim().toLowerCase();
  const rows =
    types.data?.filter(
      (r) =>
        !q ||
        [r.name, r.code ?? "", r.connection_name ?? "", t(`permitTypes.category.${r.category}`)].some((v) =>
          v.toLowerCase().includes(q),
        ),
    ) ?? [];

  let body: React.ReactNode;
  if (types.isError) body = <ErrorBox error={types.error} onRetry={() => void types.refetch()} />;
  else if (types.isPending) body = <p className="muted">{t("common.loading")}</p>;
  else if (types.data.length === 0)
    body = (
      <EmptyState
        icon="permitType"
        title={t("permitTypes.emptyTitle")}
        body={t("permitTypes.emptyBody")}
        action={{ label: t("permitTypes.emptyAction"), onClick: () => navigate("/sync/jobs") }}
      />
    );
  else if (rows.length === 0) body = <p className="muted">{t("permitTypes.noMatch", { query })}</p>;
  else
    body = (
      <table className="table table-click">
        <thead>
          <tr>
            <th>{t("permitTypes.colName")}</th>
            <th>{t("permitTypes.colCode")}</th>
            <th>{t("permitTypes.colConnection")}</th>
            <th>{t("permitTypes.colCategory")}</th>
            <th>{t("permitTypes.colLadder")}</th>
            <th className="right">{t("permitTypes.colPermits")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={r.id}
              tabIndex={0}
              onClick={() => open(r)}
              onKeyDown={(e) => onRowKeyDown(e, () => open(r))}
              data-testid={`permit-type-row-${r.id}`}
            >
              <td className="strong">{r.name}</td>
              <td className="mono">{r.code ?? <span className="muted">{t("common.notAvailable")}</span>}</td>
              <td>{r.connection_name ?? <span className="muted">{t("permitTypes.byHand")}</span>}</td>
              <td>
                <CategoryBadge category={r.category} />
              </td>
              <td className="num">{ladderText(r.ladder)}</td>
              <td className="right">
                <button
                  type="button"
                  className="btn-link num"
                  onClick={(e) => {
                    e.stopPropagation();
                    navigate(permitLinks.ofType(r.name));
                  }}
                  onKeyDown={(e) => e.stopPropagation()}
                  title={t("permitTypes.showPermits", { name: r.name })}
                  data-testid={`permit-type-count-${r.id}`}
                >
                  {f.number(r.permit_count)}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    );

  return (
    <div className="screen">
      <ControlPanel
        crumbs={[{ label: t("permitTypes.title") }]}
        search={types.data?.length ? { value: query, onChange: setQuery, placeholder: t("permitTypes.searchPlaceholder") } : undefined}
      />
      <div className="content">{body}</div>
    </div>
  );
}
