export type ScopeDto = "general" | "server" | "terminal" | "network";
