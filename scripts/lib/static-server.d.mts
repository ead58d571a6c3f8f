// Types for scripts/lib/static-server.mjs.
export interface StaticServer {
  url: string;
  port: number;
  requests: Array<{ method: string; url: string; status: number }>;
  close(): Promise<void>;
}
export declare function startStaticServer(options: { root: string; host?: string; port?: number }): Promise<StaticServer>;
