/**
 * The EnvironmentFile `install-service --write` makes when there is none: every line commented,
 * so boocode starts on its defaults until you set something. systemd reads it (no shell):
 * one VAR=value a line, no `export`, no `~`; single quotes keep a JSON value whole.
 */
export const DEFAULT_ENV_FILE = `# boocode's settings for its systemd unit (README: Configuration). After a change:
# systemctl [--user] restart boocode
#
# Web server. Keep loopback unless a proxy on another machine forwards to it.
# PORT=9500
# HOST=127.0.0.1
#
# The OpenAI-compatible endpoint (llama-swap, Ollama, vLLM, OpenAI, OpenRouter ...).
# LLM_BASE_URL=http://127.0.0.1:8080/v1
# LLM_API_KEY=sk-...
# ANTHROPIC_BASE_URL=
# ANTHROPIC_API_KEY=
#
# Another PostgreSQL 16 instead of the embedded one.
# DATABASE_URL=postgres://user:password@127.0.0.1:5432/boocode
# BOOCODE_PG_PORT=5500
#
# Git repositories to register as projects at start, separated by ':'.
# BOOCODE_PROJECTS=/home/me/code/app:/home/me/code/lib
# BOOCODE_MODEL_PRICES='{"gpt-4o":{"input":2.5,"output":10}}'
#
# Behind a proxy with forward-auth (README: Behind a proxy; deploy/ has Caddy and nginx files).
# AUTH_MODE=proxy
# TRUSTED_PROXIES=127.0.0.1
# AUTH_PROXY_USERS=me
# AUTH_PROXY_SECRET=a-long-random-string-the-proxy-sends
# ALLOWED_ORIGINS=https://boocode.example.com
#
# The program a new terminal runs (default: your login shell, as a login shell).
# BOOTERM_SHELL=/bin/bash -l
# LOG_LEVEL=info
`;
