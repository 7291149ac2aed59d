import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderWithProviders } from "../../test/render";
import { PendingBadge } from "./labels";

const lateAt = "2026-12-05T12:00:00Z";

describe("pending badge", () => {
  it("says nothing while on time, warns when due soon, and marks late documents", () => {
    const { rerender } = renderWithProviders(<PendingBadge pending={{ age_seconds: 3600, urgency: "on_time", late_at: lateAt }} />);
    expect(screen.queryByTestId("pending-badge")).toBeNull();

    rerender(<PendingBadge pending={{ age_seconds: 50 * 3600, urgency: "due_soon", late_at: lateAt }} />);
    expect(screen.getByTestId("pending-badge")).toHaveTextContent("Send soon");
    expect(screen.getByTestId("pending-badge")).toHaveClass("badge-warning");

    rerender(<PendingBadge pending={{ age_seconds: 80 * 3600, urgency: "late", late_at: lateAt }} />);
    expect(screen.getByTestId("pending-badge")).toHaveTextContent("Late");
    expect(screen.getByTestId("pending-badge")).toHaveClass("badge-critical");
    expect(screen.getByTestId("pending-badge").getAttribute("title")).toMatch(/sending target passed/);
  });
});
