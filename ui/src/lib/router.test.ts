import { act, renderHook } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import { navigate, resetRouterForTests, useLeaveGuard, useRoute } from "./router";

beforeEach(() => {
  window.history.replaceState(null, "", "#/connections/3");
  resetRouterForTests();
});

describe("hash router", () => {
  it("parses the hash into parts", () => {
    const { result } = renderHook(() => useRoute());
    expect(result.current.parts).toEqual(["connections", "3"]);
    act(() => navigate("/sync/runs"));
    expect(result.current.parts).toEqual(["sync", "runs"]);
    expect(window.location.hash).toBe("#/sync/runs");
  });

  it("keeps the query apart from the parts", () => {
    const { result } = renderHook(() => useRoute());
    act(() => navigate("/permits?v=kanban&q=a%2Fb"));
    expect(result.current.parts).toEqual(["permits"]);
    expect(result.current.query).toBe("v=kanban&q=a%2Fb");
    act(() => navigate("/permits/5"));
    expect(result.current.query).toBe("");
  });

  it("holds navigation while a guard is active until the user decides", () => {
    const route = renderHook(() => useRoute());
    const guard = renderHook(({ active }) => useLeaveGuard(active), { initialProps: { active: true } });

    act(() => navigate("/settings"));
    expect(route.result.current.path).toBe("/connections/3");
    expect(guard.result.current.pending).toBe("/settings");

    act(() => guard.result.current.stay());
    expect(guard.result.current.pending).toBeNull();
    expect(route.result.current.path).toBe("/connections/3");

    act(() => navigate("/settings"));
    act(() => guard.result.current.proceed());
    expect(route.result.current.path).toBe("/settings");
  });

  it("lets navigation through when the guard is not active", () => {
    const route = renderHook(() => useRoute());
    renderHook(() => useLeaveGuard(false));
    act(() => navigate("/dashboard"));
    expect(route.result.current.path).toBe("/dashboard");
  });
});
