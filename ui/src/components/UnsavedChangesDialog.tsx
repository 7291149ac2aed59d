// The question a form asks when the user leaves it with unsaved changes.
import { useTranslation } from "react-i18next";
import type { useLeaveGuard } from "../lib/router";
import { ConfirmDialog } from "./Dialog";

export function UnsavedChangesDialog({ guard, body }: { guard: ReturnType<typeof useLeaveGuard>; body: string }) {
  const { t } = useTranslation();
  if (!guard.pending) return null;
  return (
    <ConfirmDialog
      title={t("form.unsavedTitle")}
      body={body}
      confirmLabel={t("common.discard")}
      cancelLabel={t("common.stay")}
      danger
      onConfirm={guard.proceed}
      onCancel={guard.stay}
      testId="dialog-unsaved"
    />
  );
}
