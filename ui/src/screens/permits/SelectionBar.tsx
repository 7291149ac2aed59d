// What can be done with the ticked rows: select all matching, set their status, export them.
import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { call } from "../../api/client";
import type { ExportCell, PermitFilter, PermitRow, PermitSort, PermitStatus } from "../../api/types";
import { ConfirmDialog } from "../../components/Dialog";
import { asApiError } from "../../components/ErrorBox";
import { Menu } from "../../components/Menu";
import { SelectionBar as SharedSelectionBar, useSelectedRows, type ListSelectionProps } from "../../components/SelectionBar";
import { useToast } from "../../components/Toast";
import { PERMIT_STATUSES } from "../../lib/permitSearch";
import { EMPTY_SELECTION, selectedCount } from "../../lib/selection";
import { useFormat } from "../../lib/useFormat";
import { BULK_CHUNK, chunks, fetchAllRows } from "./bulk";
import { usePermitLabels, type PermitLabels } from "./labels";

/** The list's rows as a table for CSV / XLSX, with the list's column names. */
export function exportRows(rows: readonly PermitRow[], l: PermitLabels, t: (k: string) => string): { columns: string[]; rows: ExportCell[][] } {
  return {
    columns: [
      t("permits.col.number"),
      t("permits.col.registration"),
      t("permits.col.applicant"),
      t("permits.field.company"),
      t("permits.col.type"),
      t("permits.field.category"),
      t("permits.col.received"),
      t("permits.field.issue_date"),
      t("permits.col.expiryDate"),
      t("permits.col.expiryStatus"),
      t("permits.col.daysLeft"),
      t("permits.col.status"),
      t("permits.field.connection"),
      t("permits.col.synced"),
    ],
    rows: rows.map((r) => [
      r.permit_number,
      r.registration_id,
      r.applicant,
      r.company,
      r.permit_type_name,
      l.category(r.category),
      r.received_date,
      r.issue_date,
      r.expiry_date,
      l.expiry(r.expiry_status),
      r.days_left,
      l.status(r.status),
      r.connection_name,
      r.last_synced_at,
    ]),
  };
}

export function SelectionBar(props: ListSelectionProps<PermitRow, PermitFilter, PermitSort>) {
  const { selection, setSelection, total } = props;
  const { t } = useTranslation();
  const f = useFormat();
  const l = usePermitLabels();
  const toast = useToast();
  const qc = useQueryClient();
  const [confirm, setConfirm] = useState<PermitStatus | null>(null);
  const count = selectedCount(selection, total);
  const { busy, setBusy, resolveRows, exportRows: onExport } = useSelectedRows("permits", props, {
    fetchAll: fetchAllRows,
    fetchingText: t("permits.bulkFetching"),
    progressText: (done, all) => t("permits.bulkProgress", { done, total: all }),
    toTable: (rows) => exportRows(rows, l, t as unknown as (k: string) => string),
    exportFileName: "permits",
  });

  const setStatus = async (status: PermitStatus) => {
    setConfirm(null);
    try {
      const ids = selection.all ? (await resolveRows()).map((r) => r.id) : [...selection.ids];
      setBusy(t("permits.bulkProgress", { done: 0, total: f.number(ids.length) }));
      // One transaction per chunk: progress stays visible, and a failure leaves earlier chunks saved.
      let done = 0;
      try {
        for (const chunk of chunks(ids, BULK_CHUNK)) {
          await call("set_permits_status", { ids: chunk, status });
          done += chunk.length;
          setBusy(t("permits.bulkProgress", { done: f.number(done), total: f.number(ids.length) }));
        }
        toast.show(t("permits.bulkStatusDone", { count: done, n: f.number(done), status: l.status(status) }));
      } catch (e) {
        toast.show(t("permits.bulkStatusFailed", { n: f.number(ids.length - done), reason: asApiError(e).message }), "critical");
      }
      setSelection(EMPTY_SELECTION);
    } catch (e) {
      toast.show(asApiError(e).message, "critical");
    } finally {
      setBusy(null);
      void qc.invalidateQueries({ queryKey: ["permits"] });
    }
  };

  return (
    <SharedSelectionBar
      ns="permits"
      {...props}
      busy={busy}
      onExport={(format) => void onExport(format)}
      actions={
        <Menu label={t("permits.setStatus")} testId="bulk-status">
          {(close) =>
            PERMIT_STATUSES.map((s) => (
              <button
                key={s}
                type="button"
                role="menuitem"
                className="menu-item"
                disabled={busy != null}
                onClick={() => {
                  close();
                  setConfirm(s);
                }}
              >
                <span className="menu-tick" />
                <span className="menu-label">{l.status(s)}</span>
              </button>
            ))
          }
        </Menu>
      }
    >
      {confirm ? (
        <ConfirmDialog
          title={t("permits.setStatus")}
          body={t("permits.bulkStatusConfirm", { count, n: f.number(count), status: l.status(confirm) })}
          confirmLabel={t("permits.setStatusTo", { status: l.status(confirm) })}
          cancelLabel={t("common.cancel")}
          onConfirm={() => void setStatus(confirm)}
          onCancel={() => setConfirm(null)}
          testId="dialog-bulk-status"
        />
      ) : null}
    </SharedSelectionBar>
  );
}
