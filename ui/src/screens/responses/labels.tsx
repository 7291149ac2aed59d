// Labels and badges shared by the answers and retry-queue screens.
import { useTranslation } from "react-i18next";
import type { DocumentState, RetryOperation, RetryState } from "../../api/types";
import { Badge, type Tone } from "../../components/Badge";
import type { IconName } from "../../components/Icon";
import { inRow } from "../../components/RecordTable";
import { href } from "../../lib/router";

/** The states an answer is stored with (the document state it leads to): Hacienda's
 * `ind-estado` recibido, procesando, aceptado, rechazado, error. */
export const RESPONSE_STATES = ["submitted", "processing", "accepted", "rejected", "error"] as const;
export type ResponseState = (typeof RESPONSE_STATES)[number];

/** Hacienda's own words, should an answer carry them as given. */
const HACIENDA_WORDS: Record<string, ResponseState> = {
  recibido: "submitted",
  procesando: "processing",
  aceptado: "accepted",
  rechazado: "rejected",
};

const RESPONSE_TONE: Record<ResponseState, [Tone, IconName]> = {
  submitted: ["info", "clock"],
  processing: ["info", "hourglass"],
  accepted: ["ok", "check"],
  rejected: ["critical", "x"],
  error: ["warning", "alert"],
};

function known(s: string): ResponseState | null {
  const v = s.trim().toLowerCase();
  if ((RESPONSE_STATES as readonly string[]).includes(v)) return v as ResponseState;
  return HACIENDA_WORDS[v] ?? null;
}

export function useResponseLabels() {
  const { t } = useTranslation();
  return {
    state: (s: string) => {
      const k = known(s);
      return k ? t(`queues.responseState.${k}`) : s;
    },
    messageType: (n: number | null) =>
      n === 1 || n === 2 || n === 3 ? t(`queues.messageType.t${n}`) : n == null ? "" : String(n),
  };
}

export function ResponseStateBadge({ state }: { state: string }) {
  const l = useResponseLabels();
  const k = known(state);
  const [tone, icon] = k ? RESPONSE_TONE[k] : (["neutral", "info"] as [Tone, IconName]);
  return (
    <Badge tone={tone} icon={icon}>
      {l.state(state)}
    </Badge>
  );
}

export function MessageTypeBadge({ type }: { type: number | null }) {
  const l = useResponseLabels();
  if (type == null) return null;
  const tone: Tone = type === 1 ? "ok" : type === 2 ? "warning" : type === 3 ? "critical" : "neutral";
  return <Badge tone={tone}>{l.messageType(type)}</Badge>;
}

export const RETRY_STATES: RetryState[] = ["pending", "processing", "done", "failed", "cancelled"];
export const RETRY_OPERATIONS: RetryOperation[] = ["sign", "submit", "poll"];

const RETRY_TONE: Record<RetryState, [Tone, IconName]> = {
  pending: ["warning", "clock"],
  processing: ["info", "sync"],
  done: ["ok", "check"],
  failed: ["critical", "alert"],
  cancelled: ["muted", "stop"],
};

export function RetryStateBadge({ state }: { state: RetryState }) {
  const { t } = useTranslation();
  const [tone, icon] = RETRY_TONE[state] ?? ["neutral", "info"];
  return (
    <Badge tone={tone} icon={icon}>
      {t(`queues.retryState.${state}`)}
    </Badge>
  );
}

export const DOCUMENT_STATES: DocumentState[] = ["draft", "generated", "signed", "submitted", "processing", "accepted", "rejected", "error"];

/** The number a clerk knows a document by: its consecutivo, else its id. */
export function docNumber(consecutivo: string | null, einvoiceId: number): string {
  return consecutivo ?? `#${einvoiceId}`;
}

/** The document's number (a link to it) and its receiver: the first cells of an answer's or a
 * retry's row. */
export function DocumentCells({ row: r }: { row: { einvoice_id: number; consecutivo: string | null; clave: string | null; receiver_name: string | null } }) {
  return (
    <>
      <td className="nowrap">
        <a href={href(`/einvoices/${r.einvoice_id}`)} className="mono" {...inRow()} title={r.clave ?? undefined}>
          {docNumber(r.consecutivo, r.einvoice_id)}
        </a>
      </td>
      <td className="receiver-cell">
        <div className="ellipsis" title={r.receiver_name ?? undefined}>
          {r.receiver_name}
        </div>
      </td>
    </>
  );
}
