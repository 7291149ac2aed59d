import { Icon, type IconName } from "./Icon";

export function EmptyState({
  icon,
  title,
  body,
  badge,
  action,
  children,
  testId,
}: {
  icon: IconName;
  title: string;
  body: string;
  badge?: string;
  action?: { label: string; onClick: () => void; testId?: string };
  children?: React.ReactNode;
  testId?: string;
}) {
  return (
    <div className="empty" data-testid={testId}>
      <div className="empty-icon">
        <Icon name={icon} size={40} />
      </div>
      {badge ? <span className="badge badge-neutral">{badge}</span> : null}
      <h2>{title}</h2>
      <p>{body}</p>
      {children}
      {action ? (
        <button type="button" className="btn btn-primary" onClick={action.onClick} data-testid={action.testId}>
          <Icon name="plus" />
          {action.label}
        </button>
      ) : null}
    </div>
  );
}
