// The in-app reminder inbox: the source of truth for expiry reminders (desktop notifications may
// go unseen). Grouped by tier, most urgent first; mark read one by one or all at once.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMarkRemindersRead, useReminders } from "../../api/queries";
import type { ReminderItem } from "../../api/types";
import { Badge } from "../../components/Badge";
import { Dialog } from "../../components/Dialog";
import { ErrorBox } from "../../components/ErrorBox";
import { Icon } from "../../components/Icon";
import { ListStates } from "../../components/ListStates";
import { inRow, OpenableRow } from "../../components/RecordTable";
import { navigate } from "../../lib/router";
import { permitLinks } from "../../lib/permitLinks";
import { formatDaysLeft, formatPlainDate } from "../../lib/plainDate";
import { useFormat } from "../../lib/useFormat";
import { useNow } from "../../lib/useNow";
import "./reminders.css";

/** Reminders grouped by tier, smallest tier (most urgent) first, newest first within a tier. */
export function groupByTier(items: ReminderItem[]): Array<{ tier: number; items: ReminderItem[] }> {
  const groups = new Map<number, ReminderItem[]>();
for (const r of items) {
  const g = groups.get(r.tier);
  if (g) g.push(r);
  else groups.set(r.tier, [r]);
}
return [...groups.entries()]
  .sort(([a], [b]) => a - b)
  .map(([tier, list]) => ({ tier, items: [...list].sort((a, b) => a.days_left - b.days_left || b.sent_at.localeCompare(a.sent_at)) }));
}

export function ReminderInbox({ onClose }: { onClose: () => void }) {
const { t } = useTranslation();
const f = useFormat();
const now = useNow();
const [unreadOnly, setUnreadOnly] = useState(true);
const reminders = useReminders(unreadOnly);
const mark = useMarkRemindersRead();
const [error, setError] = useState<unknown>(null);

const items = reminders.data ?? [];
const unread = items.filter((r) => !r.read).map((r) => r.id);

const markRead = async (ids: number[]) => {
  if (ids.length === 0) return;
  setError(null);
  try {
    await mark.mutateAsync(ids);
  } catch (e) {
    setError(e);
  }
};

const open = (r: ReminderItem) => {
  if (!r.read) void markRead([r.id]);
  onClose();
  navigate(permitLinks.one(r.permit_id));
};

const nothingYet =
  items.length === 0 ? (
    <div className="inbox-empty" data-testid="reminders-empty">
      <Icon name="bell" size={32} />
      <p>{unreadOnly ? t("reminders.emptyUnread") : t("reminders.empty")}</p>
    </div>
  ) : null;
const groups = groupByTier(items).map((g) => (
    <section key={g.tier} className="inbox-group" aria-labelledby={`tier-${g.tier}`} data-testid={`reminder-tier-${g.tier}`}>
      <h3 id={`tier-${g.tier}`} className="inbox-tier">
        {t("reminders.tierHeading", { tier: t("reminders.days", { count: g.tier }), n: f.number(g.items.length), count: g.items.length })}
      </h3>
      <table className="table table-compact table-click">
        <thead className="sr-only">
          <tr>
            <th>{t("reminders.colPermit")}</th>
            <th>{t("reminders.colExpiry")}</th>
            <th>{t("reminders.colSent")}</th>
            <th>{t("common.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {g.items.map((r) => (
            <OpenableRow
              key={r.id}
              onOpen={() => open(r)}
              className={r.read ? "reminder-read" : "reminder-unread"}
              data-testid={`reminder-row-${r.id}`}
              data-read={r.read ? "true" : "false"}
            >
              <td className="fill">
                <span className="two-line">
                  <span className="strong ellipsis">
                    {!r.read ? <span className="unread-dot" title={t("reminders.unread")} aria-label={t("reminders.unread")} /> : null}
                    {r.applicant}
                  </span>
                  <span className="muted small ellipsis">
                    {r.permit_type_name}
                    {r.permit_number ? ` · ${r.permit_number}` : ""}
                  </span>
                </span>
              </td>
              <td className="right">
                <span className="two-line">
                  <Badge tone={r.days_left < 0 ? "muted" : r.days_left <= 30 ? "critical" : r.days_left <= 60 ? "warning" : "ok"}>
                    {formatDaysLeft(r.days_left, f.locale)}
                  </Badge>
                  <span className="muted small">{formatPlainDate(r.expiry_date, f.locale)}</span>
                </span>
              </td>
              <td className="muted small" title={f.dateTime(r.sent_at)}>
                {f.relative(r.sent_at, now)}
              </td>
              <td className="right">
                {!r.read ? (
                  <button
                    type="button"
                    className="btn btn-secondary btn-sm"
                    {...inRow(() => void markRead([r.id]))}
                    data-testid={`btn-mark-read-${r.id}`}
                  >
                    <Icon name="check" size={12} />
                    {t("reminders.markRead")}
                  </button>
                ) : (
                  <span className="muted small">{t("reminders.read")}</span>
                )}
              </td>
            </OpenableRow>
          ))}
        </tbody>
      </table>
    </section>
  ));

  return (
    <Dialog
      title={t("reminders.title")}
      onClose={onClose}
      size="lg"
      testId="reminder-inbox"
      footer={
        <>
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => void markRead(unread)}
            disabled={unread.length === 0 || mark.isPending}
            data-testid="btn-mark-all-read"
          >
            <Icon name="check" size={14} />
            {t("reminders.markAllRead", { n: f.number(unread.length) })}
          </button>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            {t("common.close")}
          </button>
        </>
      }
    >
      <div className="inbox-toolbar">
        <label className="check">
          <input
            type="checkbox"
            checked={unreadOnly}
            onChange={(e) => setUnreadOnly(e.target.checked)}
            data-testid="reminders-unread-only"
          />
          {t("reminders.unreadOnly")}
        </label>
        <p className="hint">{t("reminders.hint")}</p>
      </div>
      {error ? <ErrorBox error={error} /> : null}
      <div className="inbox-list">
        <ListStates query={reminders} empty={nothingYet}>
          {groups}
        </ListStates>
      </div>
    </Dialog>
  );
}
