// Applicants and companies as partners: WhatsApp number (E.164), opt-in, permit count.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { usePartners, useSavePartner } from "../../api/queries";
import type { PartnerRow } from "../../api/types";
import { Badge } from "../../components/Badge";
import { ControlPanel } from "../../components/ControlPanel";
import { EmptyState } from "../../components/EmptyState";
import { ListStates } from "../../components/ListStates";
import { CountLinkCell, inRow, RecordTable } from "../../components/RecordTable";
import { useToast } from "../../components/Toast";
import { navigate } from "../../lib/router";
import { permitLinks } from "../../lib/permitLinks";
import { useFormat } from "../../lib/useFormat";
import "./partners.css";

/** The search text once typing pauses. */
function useDebounced<T>(value: T, ms = 250): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = window.setTimeout(() => setV(value), ms);
    return () => window.clearTimeout(id);
  }, [value, ms]);
  return v;
}

/** The WhatsApp number, or why the permit office's number cannot be used. */
export function WhatsAppCell({ partner }: { partner: PartnerRow }) {
  const { t } = useTranslation();
  if (partner.whatsapp) return <span className="mono">{partner.whatsapp}</span>;
  if (partner.whatsapp_problem) {
    return (
      <span className="two-line whatsapp-cell" data-testid={`whatsapp-problem-${partner.id}`}>
        <Badge tone="warning" icon="alert" title={partner.whatsapp_problem}>
          {t("partners.notUsable")}
        </Badge>
        <span className="muted small wrap-text">{partner.whatsapp_problem}</span>
      </span>
    );
  }
  return <span className="muted">{t("common.notAvailable")}</span>;
}

export function PartnersList() {
  const { t } = useTranslation();
  const f = useFormat();
  const toast = useToast();
  const [query, setQuery] = useState("");
  const search = useDebounced(query.trim());
  const partners = usePartners(search === "" ? null : search);
  const save = useSavePartner();
  const [toggling, setToggling] = useState<number | null>(null);

  const open = (p: PartnerRow) => navigate(`/partners/${p.id}`);

  const toggleOptIn = async (p: PartnerRow) => {
    setToggling(p.id);
    try {
      const saved = await save.mutateAsync({ id: p.id, edit: { name: p.name, whatsapp: p.whatsapp, opt_in: !p.opt_in } });
      toast.show(saved.opt_in ? t("partners.optedIn", { name: saved.name }) : t("partners.optedOut", { name: saved.name }));
    } catch (e) {
      const message = e instanceof Error ? e.message : t("errors.title");
      toast.show(`${p.name}: ${message}`, "critical");
    } finally {
      setToggling(null);
    }
  };

  const rows = partners.data ?? [];
  const columns = [
    { label: t("partners.colName") },
    { label: t("partners.colCompany") },
    { label: t("partners.colPhone") },
    { label: t("partners.colWhatsapp") },
    { label: t("partners.colOptIn") },
    { label: t("partners.colPermits"), className: "right" },
  ];
  const nothingYet =
    rows.length === 0 && search === "" ? (
      <EmptyState
        icon="partners"
        title={t("partners.emptyTitle")}
        body={t("partners.emptyBody")}
        action={{ label: t("partners.emptyAction"), onClick: () => navigate("/sync/jobs") }}
      />
    ) : null;
  const table = (
    <RecordTable columns={columns} rows={rows} onOpen={open} rowTestId={(p) => `partner-row-${p.id}`}>
      {(p) => (
        <>
          <td className="strong">{p.name}</td>
          <td>{p.company ?? <span className="muted">{t("common.notAvailable")}</span>}</td>
          <td className="mono">{p.phone ?? <span className="muted">{t("common.notAvailable")}</span>}</td>
          <td>
            <WhatsAppCell partner={p} />
          </td>
          <td {...inRow()}>
            <label className="switch">
              <input
                type="checkbox"
                checked={p.opt_in}
                disabled={toggling === p.id || (!p.opt_in && !p.whatsapp)}
                title={!p.opt_in && !p.whatsapp ? t("partners.optInNoNumber") : undefined}
                onChange={() => void toggleOptIn(p)}
                aria-label={`${t("partners.colOptIn")}: ${p.name}`}
                data-testid={`toggle-opt-in-${p.id}`}
              />
              <span className="two-line">
                <span>{p.opt_in ? t("partners.optIn") : t("partners.optOut")}</span>
                {p.opt_changed_at ? (
                  <span className="muted small" title={f.dateTime(p.opt_changed_at)}>
                    {t("partners.since", { date: f.shortDateTime(p.opt_changed_at) })}
                  </span>
                ) : null}
              </span>
            </label>
          </td>
          <CountLinkCell
            count={f.number(p.permit_count)}
            to={permitLinks.search(p.name)}
            title={t("partners.showPermits", { name: p.name })}
            testId={`partner-permits-${p.id}`}
          />
        </>
      )}
    </RecordTable>
  );

  return (
    <div className="screen">
      <ControlPanel
        crumbs={[{ label: t("partners.title") }]}
        search={{ value: query, onChange: setQuery, placeholder: t("partners.searchPlaceholder") }}
      />
      <div className="content">
        <ListStates
          query={partners}
          empty={nothingYet}
          noMatch={rows.length === 0 && t("partners.noMatch", { query: search })}
        >
          {table}
        </ListStates>
      </div>
    </div>
  );
}
