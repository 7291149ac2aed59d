// Save and Discard for a form shown in the control panel (the form is linked by its id, so the
// buttons can sit outside it).
import { useTranslation } from "react-i18next";

export function SaveButtons({
  formId,
  busy,
  dirty,
  onDiscard,
  saveNeedsChange = false,
}: {
  formId: string;
  busy: boolean;
  dirty: boolean;
  onDiscard: () => void;
  /** Disable Save until something changed. */
  saveNeedsChange?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <>
      <button type="submit" form={formId} className="btn btn-primary" disabled={busy || (saveNeedsChange && !dirty)} data-testid="btn-save">
        {busy ? t("common.saving") : t("common.save")}
      </button>
      <button type="button" className="btn btn-secondary" onClick={onDiscard} disabled={!dirty || busy} data-testid="btn-discard">
        {t("common.discard")}
      </button>
    </>
  );
}
