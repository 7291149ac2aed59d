// Applicants and companies as partners: WhatsApp number (E.164), opt-in, permit count.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { usePartners, useSavePartner } from "../../api/queries";
import type { PartnerRow } from "../../api/types";
import { Badge } from "../../components/Badge";
import { ControlPanel } from "../../components/ControlPanel";
import { EmptyState } from "../../components/EmptyState";
import { ErrorBox } from "../../components/ErrorBox";
import { useToast } from "../../components/Toast";
import { navigate } from "../../lib/router";
import { permitLinks } from "../../lib/permitLinks";
import { onRowKeyDown } from "../../lib/rowKeys";
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
  let body: React.ReactNode;
  if (partners.isError) body = <ErrorBox error={partners.error} onRetry={() => void partners.refetch()} />;
  else if (partners.isPending) body = <p className="muted">{t("common.loading")}</p>;
  else if (rows.length === 0 && search === "")
    body = (
      <EmptyState
        icon="partners"
        title={t("partners.emptyTitle")}
        body={t("partners.emptyBody")}
        action={{ label: t("partners.emptyAction"), onClick: () => navigate("/sync/jobs") }}
      />
    );
  else if (rows.length === 0) body = <p className="muted">{t("partners.noMatch", { query: search })}</p>;
  else
    body = (
      <table className="table table-click">
        <thead>
          <tr>
            <th>{t("partners.colName")}</th>
            <th>{t("partners.colCompany")}</th>
            <th>{t("partners.colPhone")}</th>
            <th>{t("partners.colWhatsapp")}</th>
            <th>{t("partners.colOptIn")}</th>
            <th className="right">{t("partners.colPermits")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => (
            <tr
              key={p.id}
              tabIndex={0}
              onClick={() => open(p)}
              onKeyDown={(e) => onRowKeyDown(e, () => open(p))}
              data-testid={`partner-row-${p.id}`}
            >
              <td className="strong">{p.name}</td>
              <td>{p.company ?? <span className="muted">{t("common.notAvailable")}</span>}</td>
              <td className="mono">{p.phone ?? <span className="muted">{t("common.notAvailable")}</span>}</td>
              <td>
                <WhatsAppCell partner={p} />
              </td>
              <td onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
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
              <td className="right">
                <button
                  type="button"
                  className="btn-link num"
                  onClick={(e) => {
                    e.stopPropagation();
                    navigate(permitLinks.search(p.name));
                  }}
                  onKeyDown={(e) => e.stopPropagation()}
                  title={t("partners.showPermits", { name: p.name })}
                  data-testid={`partner-permits-${p.id}`}
                >
                  {f.number(p.permit_count)}
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
        crumbs={[{ label: t("partners.title") }]}
        search={{ value: query, onChange: setQuery, placeholder: t("partners.searchPlaceholder") }}
      />
      <div className="content">{body}</div>
    </div>
  );
}
