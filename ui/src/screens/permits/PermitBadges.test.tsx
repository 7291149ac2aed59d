import { act, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import i18n from "../../i18n";
import { ExpiryBadge } from "./PermitBadges";

afterEach(async () => {
  await act(() => i18n.changeLanguage("en"));
});

const days = () => screen.getByTestId("expiry-days");

describe("ExpiryBadge", () => {
  it("says the days left in full by default, and not at all on a card", () => {
    const { rerender } = render(<ExpiryBadge status="critical" daysLeft={12} />);
    expect(days()).toHaveTextContent("in 12 days");
    expect(days()).not.toHaveAttribute("title");
    rerender(<ExpiryBadge status="critical" daysLeft={12} days="none" />);
    expect(screen.queryByTestId("expiry-days")).toBeNull();
  });

  it.each([
    ["en", [12, -730, 0, 1, -1, 1095], ["12 d left", "730 d ago", "today", "tomorrow", "yesterday", "1,095 d left"]],
    ["id", [12, -730, 0, 1, -1, 1095], ["12 hr lagi", "730 hr lalu", "hari ini", "besok", "kemarin", "1.095 hr lagi"]],
    ["es", [12, -730, 0, 1, -1], ["quedan 12 d", "hace 730 d", "hoy", "mañana", "ayer"]],
  ] as const)("says them briefly in the list (%s), the full phrase as the tooltip", async (lang, values, expected) => {
    await act(() => i18n.changeLanguage(lang));
    const shown = values.map((n) => {
      const { unmount } = render(<ExpiryBadge status="ok" daysLeft={n} days="short" />);
      const text = days().textContent;
      expect(days().getAttribute("title")).toBe(new Intl.RelativeTimeFormat(lang, { numeric: "auto" }).format(n, "day"));
      unmount();
      return text;
    });
    expect(shown).toEqual(expected);
  });

  it("shows no days for a permit without an expiry date", () => {
    render(<ExpiryBadge status="unknown" daysLeft={null} days="short" />);
    expect(screen.queryByTestId("expiry-days")).toBeNull();
  });
});
