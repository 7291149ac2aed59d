import { useTranslation } from "react-i18next";

/** One label and value of a form's facts list (inside a <dl>); an empty value reads "not available". */
export function Fact({ label, value }: { label: string; value: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value == null || value === "" ? <span className="muted">{t("common.notAvailable")}</span> : value}</dd>
    </div>
  );
}
