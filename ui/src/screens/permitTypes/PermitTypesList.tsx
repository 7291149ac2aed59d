// Permit types of the permit offices, with their category and reminder ladder.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { usePermitTypes } from "../../api/queries";
import type { PermitCategory, PermitTypeRow } from "../../api/types";
import { Badge } from "../../components/Badge";
import { ControlPanel } from "../../components/ControlPanel";
import { EmptyState } from "../../components/EmptyState";
import { ListStates } from "../../components/ListStates";
import { CountLinkCell, RecordTable } from "../../components/RecordTable";
import { navigate } from "../../lib/router";
import { permitLinks } from "../../lib/permitLinks";
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

  const nothingYet =
    types.data?.length === 0 ? (
      <EmptyState
        icon="permitType"
        title={t("permitTypes.emptyTitle")}
        body={t("permitTypes.emptyBody")}
        action={{ label: t("permitTypes.emptyAction"), onClick: () => navigate("/sync/jobs") }}
      />
    ) : null;
  const columns = [
    { label: t("permitTypes.colName") },
    { label: t("permitTypes.colCode") },
    { label: t("permitTypes.colConnection") },
    { label: t("permitTypes.colCategory") },
    { label: t("permitTypes.colLadder") },
    { label: t("permitTypes.colPermits"), className: "right" },
  ];
  const table = (
    <RecordTable columns={columns} rows={rows} onOpen={open} rowTestId={(r) => `permit-type-row-${r.id}`}>
      {(r) => (
        <>
          <td className="strong">{r.name}</td>
          <td className="mono">{r.code ?? <span className="muted">{t("common.notAvailable")}</span>}</td>
          <td>{r.connection_name ?? <span className="muted">{t("permitTypes.byHand")}</span>}</td>
          <td>
            <CategoryBadge category={r.category} />
          </td>
          <td className="num">{ladderText(r.ladder)}</td>
          <CountLinkCell
            count={f.number(r.permit_count)}
            to={permitLinks.ofType(r.name)}
            title={t("permitTypes.showPermits", { name: r.name })}
            testId={`permit-type-count-${r.id}`}
          />
        </>
      )}
    </RecordTable>
  );

  return (
    <div className="screen">
      <ControlPanel
        crumbs={[{ label: t("permitTypes.title") }]}
        search={types.data?.length ? { value: query, onChange: setQuery, placeholder: t("permitTypes.searchPlaceholder") } : undefined}
      />
      <div className="content">
        <ListStates query={types} empty={nothingYet} noMatch={rows.length === 0 && t("permitTypes.noMatch", { query })}>
          {table}
        </ListStates>
      </div>
    </div>
  );
}
