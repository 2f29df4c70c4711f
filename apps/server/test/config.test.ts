import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, normalizeBaseUrl } from '../src/config.ts';

describe('config', () => {
  it('has working defaults', () => {
    const c = loadConfig({ HOME: '/home/u' });
    expect(c).toMatchObject({
      port: 9500,
      host: '127.0.0.1',
      pgPort: 5500,
      databaseUrl: null,
      authMode: 'token',
      llmBaseUrl: 'http://127.0.0.1:8080/v1',
    });
  });

  it('stops on a bad value with a message naming the variable', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/^PORT: /);
    expect(() => loadConfig({ AUTH_MODE: 'open' })).toThrow(/^AUTH_MODE: /);
    expect(() => loadConfig({ AUTH_MODE: 'proxy' })).toThrow(/^TRUSTED_PROXIES: /);
    expect(() => loadConfig({ AUTH_MODE: 'proxy', TRUSTED_PROXIES: '127.0.0.1' })).toThrow(
      /^AUTH_PROXY_USERS: /,
    );
    expect(() => loadConfig({ AUTH_PROXY_SECRET: 'short' })).toThrow(/^AUTH_PROXY_SECRET: [^"]*$/);
    // A key with the default endpoint would go to whatever holds 127.0.0.1:8080.
    expect(() => loadConfig({ LLM_API_KEY: 'sk-secret' })).toThrow(/^LLM_API_KEY: [^"]*8080/);
    expect(
      loadConfig({ LLM_API_KEY: 'sk-x', LLM_BASE_URL: 'https://api.example.com' }),
    ).toMatchObject({
      llmApiKey: 'sk-x',
    });
    expect(() => loadConfig({ TRUSTED_PROXIES: 'not-an-ip' })).toThrow(/^TRUSTED_PROXIES: /);
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'nope' })).toThrow(/^ALLOWED_ORIGINS: /);
  });

  it('never echoes a credential-bearing value', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u:secret@h/db' })).toThrow(/^DATABASE_URL: /);
    try {
      loadConfig({ DATABASE_URL: 'mysql://u:secret@h/db' });
    } catch (e) {
      expect(String(e)).not.toContain('secret');
    }
  });

  it('takes LLAMA_SWAP_URL as an alias, with or without /v1', () => {
    expect(loadConfig({ LLAMA_SWAP_URL: 'http://gpu:8080' }).llmBaseUrl).toBe('http://gpu:8080/v1');
    expect(loadConfig({ LLM_BASE_URL: 'http://a/v1', LLAMA_SWAP_URL: 'http://b' }).llmBaseUrl).toBe(
      'http://a/v1',
    );
    expect(normalizeBaseUrl('https://api.openai.com/v1/')).toBe('https://api.openai.com/v1');
    expect(normalizeBaseUrl('http://host:11434')).toBe('http://host:11434/v1');
    expect(normalizeBaseUrl('http://host/proxy/llm')).toBe('http://host/proxy/llm/v1');
  });

  it('reads BOOCODE_PROJECTS as absolute paths separated by colons', () => {
    expect(loadConfig({ BOOCODE_PROJECTS: '/a/b: /c ' }).projects).toEqual(['/a/b', '/c']);
    expect(() => loadConfig({ BOOCODE_PROJECTS: '/a:relative' })).toThrow(/^BOOCODE_PROJECTS: /);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', LLM_API_KEY: '' })).toMatchObject({
      port: 9500,
      llmApiKey: null,
    });
  });
});
