-- Each request to the model within a reply, with its tokens and cost (micro-dollars).
alter table messages add column model_calls jsonb not null default '[]';
alter table messages add column cost_micros bigint;

-- What a chat has used in all, replaced replies included: money spent stays spent.
alter table chats add column prompt_tokens bigint not null default 0;
alter table chats add column completion_tokens bigint not null default 0;
alter table chats add column cost_micros bigint not null default 0;
