// One answer from Hacienda in full: its fields, each error line, the decoded MensajeHacienda
// (pretty-printed XML, downloadable) and the raw JSON as it came.
import { useTranslation } from "react-i18next";
import type { ResponseDetail } from "../../api/types";
import { ControlPanel } from "../../components/ControlPanel";
import { asApiError } from "../../components/ErrorBox";
import { Icon } from "../../components/Icon";
import { RecordFallback } from "../../components/RecordFallback";
import { href } from "../../lib/router";
import { useFormat } from "../../lib/useFormat";
import { useNow } from "../../lib/useNow";
import { MessageTypeBadge, ResponseStateBadge, docNumber } from "./labels";
import { useResponse } from "./queries";

/** The file name of a saved answer: `<clave>-respuesta.xml`. */
export function xmlFileName(detail: ResponseDetail): string {
  const r = detail.response;
  return `${r.clave ?? r.consecutivo ?? r.id}-respuesta.xml`;
}

/** Offers `text` as a file download named `name`. */
export function downloadText(text: string, name: string, type = "application/xml") {
  const blob = new Blob([text], { type: `${type};charset=utf-8` });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.style.display = "none";
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ResponseForm({ idParam }: { idParam: string }) {
  const { t } = useTranslation();
  const id = Number(idParam);
  const valid = Number.isInteger(id) && id > 0;
  const query = useResponse(valid ? id : null);
  const crumbs = [{ label: t("queues.responses.title"), to: "/responses" }];
  if (!query.data) {
    const notFound = !valid || (query.isError && asApiError(query.error).code === "not_found");
    return (
      <RecordFallback
        crumbs={crumbs}
        idParam={idParam}
        pending={valid && query.isPending}
        error={query.isError && !notFound ? query.error : null}
        onRetry={() => void query.refetch()}
        notFound={{ icon: "responses", body: t("queues.responses.notFound"), backLabel: t("queues.responses.title"), backTo: "/responses" }}
      />
    );
  }
  return <ResponseBody detail={query.data} />;
}

function ResponseBody({ detail }: { detail: ResponseDetail }) {
  const { t } = useTranslation();
  const f = useFormat();
  const now = useNow();
  const r = detail.response;
  const number = docNumber(r.consecutivo, r.einvoice_id);
  const saveXml = (
    <button
      type="button"
      className="btn btn-secondary"
      disabled={!detail.mensaje_xml}
      title={detail.mensaje_xml ? undefined : t("queues.responses.noXml")}
      onClick={() => detail.mensaje_xml && downloadText(detail.mensaje_xml, xmlFileName(detail))}
      data-testid="btn-save-xml"
    >
      <Icon name="download" />
      {t("queues.responses.saveXml")}
    </button>
  );

  return (
    <div className="screen">
      <ControlPanel crumbs={[{ label: t("queues.responses.title"), to: "/responses" }, { label: t("queues.responses.answerFor", { number }) }]} primary={saveXml} />
      <div className="content responses" data-testid="response-form" data-state={r.state}>
        <div className="sheet response-sheet">
          <div className="response-head">
            <ResponseStateBadge state={r.state} />
            <MessageTypeBadge type={r.message_type} />
          </div>
          <dl className="facts facts-wide response-facts">
            <div>
              <dt>{t("queues.responses.colDocument")}</dt>
              <dd>
                <a href={href(`/einvoices/${r.einvoice_id}`)} className="mono" data-testid="response-document-link">
                  {number}
                </a>
              </dd>
            </div>
            <div>
              <dt>{t("queues.responses.clave")}</dt>
              <dd className="mono break">{r.clave ?? t("common.notAvailable")}</dd>
            </div>
            <div>
              <dt>{t("queues.responses.colReceiver")}</dt>
              <dd>{r.receiver_name ?? t("common.notAvailable")}</dd>
            </div>
            <div>
              <dt>{t("queues.responses.colReceived")}</dt>
              <dd className="num">
                {f.dateTime(r.received_at, true)} <span className="muted">({f.relative(r.received_at, now)})</span>
              </dd>
            </div>
            <div>
              <dt>{t("queues.responses.httpStatus")}</dt>
              <dd className="num">{r.http_status ?? t("common.notAvailable")}</dd>
            </div>
            <div>
              <dt>{t("queues.responses.colDetail")}</dt>
              <dd className="pre-line">{r.detail ?? t("common.notAvailable")}</dd>
            </div>
          </dl>
        </div>

        <section className="sheet" aria-labelledby="response-errors">
          <h2 id="response-errors" className="section-title">
            {t("queues.responses.errorCodes")}
          </h2>
          {r.error_codes.length === 0 ? (
            <p className="muted">{t("queues.responses.noErrorCodes")}</p>
          ) : (
            <ul className="error-lines">
              {r.error_codes.map((c, i) => (
                <li key={`${c.code}-${i}`} data-testid={`error-code-${c.code}`}>
                  <code className="code-chip">{c.code}</code> — {c.message}
                  {c.row != null || c.column != null ? (
                    <span className="muted">
                      {" "}
                      ({[c.row != null ? t("queues.responses.row", { n: c.row }) : null, c.column != null ? t("queues.responses.column", { n: c.column }) : null]
                        .filter(Boolean)
                        .join(", ")}
                      )
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </section>

        <CodeSection id="response-xml" title={t("queues.responses.mensajeXml")} text={detail.mensaje_xml} none={t("queues.responses.noXml")} />
        <CodeSection id="response-json" title={t("queues.responses.rawJson")} text={detail.raw_json} none={t("queues.responses.noJson")} />
      </div>
    </div>
  );
}

/** A sheet showing a stored text as it came (the answer's XML, its JSON), or why there is none. */
function CodeSection({ id, title, text, none }: { id: string; title: string; text: string | null; none: string }) {
  return (
    <section className="sheet" aria-labelledby={id}>
      <h2 id={id} className="section-title">
        {title}
      </h2>
      {text ? (
        <pre className="code-block" tabIndex={0} data-testid={id}>
          {text}
        </pre>
      ) : (
        <p className="muted">{none}</p>
      )}
    </section>
  );
}
