/** The fake's optional server-side rate limit: one fixed one-second window per provider. */
import type { ProviderName } from "../providers/names.js";
import type { RateWindow } from "../tooling.js";
import { rulesOf, type CompiledProvider } from "./compile.js";

export class RateWindows {
  private readonly windows = new Map<ProviderName, { start: number; count: number }>();

  constructor(private readonly perSecond: number | undefined) {}

  /** Counts the request in its provider's window: the headers to send, and whether it is over. */
  count(p: CompiledProvider): { limited: boolean; headers: Record<string, string> } | undefined {
    const { perSecond } = this;
    if (perSecond === undefined) return undefined;
    const now = Date.now();
    let w = this.windows.get(p.name);
    // Windows start on whole wall-clock seconds, as real fixed-window limiters do, so an
    // epoch-style reset (whole seconds) names the true end of the window.
    const second = Math.floor(now / 1000) * 1000;
    if (!w || w.start !== second) {
      w = { start: second, count: 0 };
      this.windows.set(p.name, w);
    }
    w.count += 1;
    const limited = w.count > perSecond;
    const resetMs = w.start + 1000 - now;
    const window: RateWindow = {
      limit: perSecond,
      remaining: Math.max(0, perSecond - w.count),
      resetSeconds: Math.max(1, Math.ceil(resetMs / 1000)),
      resetAt: Math.ceil((w.start + 1000) / 1000),
    };
    const headers = rulesOf(p.name).rateHeaders?.(window, limited, p.resetStyle) ?? {};
    if (limited) headers["Retry-After"] = String(window.resetSeconds);
    return { limited, headers };
  }

  clear(): void {
    this.windows.clear();
  }
}
