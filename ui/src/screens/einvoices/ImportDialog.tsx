// Import documents from a CSV or JSON file as drafts of a Hacienda connection. The file is
// checked whole: when any line is wrong nothing is imported, and every problem is listed.
import { useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiFailure } from "../../api/client";
import { useConnections } from "../../api/queries";
import type { ImportSummary } from "../../api/types";
import { Dialog } from "../../components/Dialog";
import { ErrorBox, asApiError } from "../../components/ErrorBox";
import { Icon } from "../../components/Icon";
import { useFormat } from "../../lib/useFormat";
import { useImportEinvoices } from "./queries";

/** A file's text: UTF-8, or Windows-1252 when it is not valid UTF-8 (a CSV saved by Excel). */
export async function readFileText(file: File): Promise<string> {
  const text =
    typeof file.text === "function"
      ? await file.text()
      : await new Promise<string>((resolve, reject) => {
          const reader = new FileReader();
          reader.onload = () => resolve(String(reader.result ?? ""));
          reader.onerror = () => reject(reader.error ?? new Error("The file could not be read."));
          reader.readAsText(file);
        });
  if (!text.includes("\uFFFD") || typeof file.arrayBuffer !== "function") return text;
  try {
    return new TextDecoder("windows-1252").decode(await file.arrayBuffer());
  } catch {
    return text;
  }
}

export function ImportDialog({ onClose, onShowDrafts }: { onClose: () => void; onShowDrafts: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const connections = useConnections();
  const hacienda = useMemo(() => (connections.data ?? []).filter((c) => c.kind === "hacienda"), [connections.data]);
  const [picked, setPicked] = useState<number | null>(null);
  const connectionId = picked ?? (hacienda.length === 1 ? hacienda[0]!.id : null);
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<ImportSummary | null>(null);
  const [problems, setProblems] = useState<string[] | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const input = useRef<HTMLInputElement>(null);
  const run = useImportEinvoices();

  const onFile = (next: File | null) => {
    setFile(next);
    setResult(null);
    setProblems(null);
    setFailure(null);
  };

  const onRun = async () => {
    if (connectionId == null || !file) return;
    setResult(null);
    setProblems(null);
    setFailure(null);
    try {
      const content = await readFileText(file);
      setResult(await run.mutateAsync({ connection_id: connectionId, file_name: file.name, content }));
    } catch (e) {
      const api = asApiError(e);
      if (e instanceof ApiFailure && api.code === "validation" && api.fields.length > 0) setProblems(api.fields.map((x) => x.message));
      else setFailure(e);
    }
  };

  const busy = run.isPending;
  return (
    <Dialog
      title={t("einvoices.importTitle")}
      onClose={onClose}
      testId="import-dialog"
      footer={
        <>
          {result ? (
            <button type="button" className="btn btn-primary" onClick={onShowDrafts} data-testid="btn-import-show">
              {t("einvoices.importShowDrafts")}
            </button>
          ) : (
            <button type="button" className="btn btn-primary" onClick={() => void onRun()} disabled={busy || connectionId == null || !file} data-testid="btn-import-run">
              {busy ? t("einvoices.importing") : t("einvoices.importRun")}
            </button>
          )}
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            {t("common.close")}
          </button>
        </>
      }
    >
      <p className="muted">{t("einvoices.importIntro")}</p>
      <div className="field">
        <label htmlFor="import-connection">{t("einvoices.importConnection")}</label>
        {connections.isError ? <ErrorBox error={connections.error} onRetry={() => void connections.refetch()} /> : null}
        {connections.isSuccess && hacienda.length === 0 ? (
          <p className="muted" data-testid="import-no-connection">
            {t("einvoices.noConnectionBody")}{" "}
            <a href="#/connections" onClick={onClose}>
              {t("einvoices.openConnections")}
            </a>
          </p>
        ) : (
          <select
            id="import-connection"
            value={connectionId ?? ""}
            onChange={(e) => setPicked(e.target.value ? Number(e.target.value) : null)}
            disabled={busy}
            data-testid="import-connection"
          >
            {connectionId == null ? <option value="">{t("einvoices.importChooseConnection")}</option> : null}
            {hacienda.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
                {c.active ? "" : ` (${t("einvoices.inactive")})`}
              </option>
            ))}
          </select>
        )}
      </div>
      <div className="field">
        <span className="label" id="import-file-label">
          {t("einvoices.importFile")}
        </span>
        <div className="import-file-row">
          <button type="button" className="btn btn-secondary" onClick={() => input.current?.click()} disabled={busy} aria-describedby="import-file-label" data-testid="btn-import-choose">
            <Icon name="folder" />
            {file ? t("einvoices.importChooseOther") : t("einvoices.importChoose")}
          </button>
          <span className={file ? "import-file-name" : "muted"} data-testid="import-file-name">
            {file ? `${file.name} · ${f.bytes(file.size)}` : t("einvoices.importNoFile")}
          </span>
        </div>
        <p className="hint">{t("einvoices.importFormats")}</p>
        <input
          ref={input}
          type="file"
          accept=".csv,.json,text/csv,application/json"
          hidden
          onChange={(e) => {
            onFile(e.target.files?.[0] ?? null);
            e.target.value = "";
          }}
          data-testid="import-file"
        />
      </div>

      {result ? (
        <div className="alert alert-ok" role="status" data-testid="import-result" data-created={result.created} data-skipped={result.skipped}>
          <Icon name="check" size={18} />
          <div className="alert-body">
            <strong>{t("einvoices.importDone", { count: result.created, n: f.number(result.created) })}</strong>
            <p>
              {result.skipped > 0 ? t("einvoices.importSkipped", { count: result.skipped, n: f.number(result.skipped) }) : t("einvoices.importNoneSkipped")}
            </p>
          </div>
        </div>
      ) : null}
      {problems ? (
        <div className="alert alert-critical" role="alert" data-testid="import-problems" data-count={problems.length}>
          <Icon name="alert" size={18} />
          <div className="alert-body">
            <strong>{t("einvoices.importProblemsTitle", { count: problems.length, n: f.number(problems.length) })}</strong>
            <p>{t("einvoices.importProblemsBody")}</p>
            <ol className="import-problems">
              {problems.map((p, i) => (
                <li key={i}>{p}</li>
              ))}
            </ol>
          </div>
        </div>
      ) : null}
      {failure ? <ErrorBox error={failure} /> : null}
    </Dialog>
  );
}
