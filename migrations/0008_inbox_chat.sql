-- Resident chat (src/modules/inbox/chat.ts): conversations started per IP address and
-- window, so every instance sees the same counts (a start refused with 429 counts nothing).
create table inbox_chat_rate (
  tenant_id uuid not null references tenants(id) on delete cascade,
  key text not null,
  window_start timestamptz not null default now(),
  count int not null default 0,
  primary key (tenant_id, key)
);
