import { useTranslation } from "react-i18next";
import { ControlPanel } from "../components/ControlPanel";
import { EmptyState } from "../components/EmptyState";
import { navigate } from "../lib/router";
import { SECTIONS, type SectionId } from "../sections";

type Info = {
  module: "comingSoon.permitsModule" | "comingSoon.einvoiceModule" | "comingSoon.odooModule";
  body:
    | "comingSoon.permits"
    | "comingSoon.permitTypes"
    | "comingSoon.partners"
    | "comingSoon.notes"
    | "comingSoon.einvoices"
    | "comingSoon.responses"
    | "comingSoon.retryQueue";
};

const INFO: Partial<Record<SectionId, Info>> = {
  permits: { module: "comingSoon.permitsModule", body: "comingSoon.permits" },
  "permit-types": { module: "comingSoon.permitsModule", body: "comingSoon.permitTypes" },
  partners: { module: "comingSoon.odooModule", body: "comingSoon.partners" },
  notes: { module: "comingSoon.odooModule", body: "comingSoon.notes" },
  einvoices: { module: "comingSoon.einvoiceModule", body: "comingSoon.einvoices" },
  responses: { module: "comingSoon.einvoiceModule", body: "comingSoon.responses" },
  "retry-queue": { module: "comingSoon.einvoiceModule", body: "comingSoon.retryQueue" },
};

/** A section whose module is not built yet: what it will do, and what to set up meanwhile. */
export function ComingSoon({ section }: { section: SectionId }) {
  const { t } = useTranslation();
  const meta = SECTIONS.find((s) => s.id === section);
  const info = INFO[section];
  if (!meta || !info) return null;
  return (
    <div className="screen">
      <ControlPanel crumbs={[{ label: t(meta.label) }]} />
      <div className="content">
        <EmptyState
          icon={meta.icon}
          badge={t("comingSoon.badge")}
          title={t(info.module)}
          body={t(info.body)}
          testId={`coming-soon-${section}`}
        >
          <p className="muted">{t("comingSoon.meanwhile")}</p>
          <button type="button" className="btn btn-secondary" onClick={() => navigate("/connections")}>
            {t("comingSoon.goConnections")}
          </button>
        </EmptyState>
      </div>
    </div>
  );
}
