-- Omnichannel customer service (src/modules/inbox): teams (queues) with business hours and
-- SLA targets, agents' presence and capacity, conversations from chat and e-mail with their
-- messages numbered per conversation, attachments, e-mail threading, canned responses, the
-- bot's FAQ and the per-tenant chat settings (embedding sites).

create table inbox_teams (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  names jsonb not null, -- L10n
  -- Weekly hours in the catalog's ServiceHours[] shape (Europe/Helsinki wall clock): the
  -- chat shows "open" inside them and SLA clocks run only inside them. [] = always open.
  business_hours jsonb not null default '[]'::jsonb,
  first_response_sla_minutes int not null default 60 check (first_response_sla_minutes between 1 and 100000),
  resolution_sla_minutes int not null default 2880 check (resolution_sla_minutes between 1 and 1000000),
  -- Inbound e-mail to this address (lower case) becomes a conversation of this team.
  email_address text unique check (email_address is null or email_address = lower(email_address)),
  -- Hand new pending conversations to online agents in turn (round-robin, within capacity).
  auto_assign boolean not null default true,
  -- The team a chat hands off to unless the resident chose another.
  is_default boolean not null default false,
  sort_order int not null default 0,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, id)
);
create unique index inbox_teams_one_default on inbox_teams(tenant_id) where is_default;

create table inbox_team_members (
  tenant_id uuid not null references tenants(id) on delete cascade,
  team_id uuid not null,
  staff_user_id uuid not null,
  primary key (team_id, staff_user_id),
  foreign key (tenant_id, team_id) references inbox_teams(tenant_id, id) on delete cascade,
  foreign key (tenant_id, staff_user_id) references staff_users(tenant_id, id) on delete cascade
);
create index inbox_team_members_user on inbox_team_members(tenant_id, staff_user_id);

-- An agent's presence. "online" counts only while last_seen_at is fresh (the inbox stream
-- refreshes it), so a closed laptop drops out of round-robin by itself.
create table inbox_agents (
  tenant_id uuid not null references tenants(id) on delete cascade,
  staff_user_id uuid not null,
  status text not null default 'offline' check (status in ('online', 'away', 'offline')),
  -- Open conversations the agent takes at once before round-robin skips them.
  capacity int not null default 5 check (capacity between 0 and 100),
  last_seen_at timestamptz not null default now(),
  -- Round-robin order: the agent assigned longest ago goes first.
  last_assigned_at timestamptz,
  primary key (tenant_id, staff_user_id),
  foreign key (tenant_id, staff_user_id) references staff_users(tenant_id, id) on delete cascade
);

-- Reference numbers residents quote ("#12345"), shared by all tenants like feedback numbers.
create sequence inbox_conversation_number_seq start 10000;

create table inbox_conversations (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  number bigint not null default nextval('inbox_conversation_number_seq') unique,
  channel text not null check (channel in ('chat', 'email')),
  -- bot: only the bot has answered; pending: waiting in a team's queue; open: an agent has
  -- it; snoozed: parked until snoozed_until or the resident writes; resolved: done.
  status text not null check (status in ('bot', 'pending', 'open', 'snoozed', 'resolved')),
  team_id uuid,
  assignee_id uuid,
  resident_id uuid,
  -- Personal data (staff reads are audited): what the resident told us, all optional.
  contact_name text,
  contact_email text,
  lang text not null check (lang in ('fi', 'sv', 'en')),
  subject text,
  -- The chat visitor's secret (X-Chat-Token header or aukio_chat cookie); only its hash.
  visitor_token_hash text unique,
  -- The site a chat was embedded on (an allowed origin), null on the tenant's own pages.
  origin text,
  -- The last message's number: messages are numbered 1, 2, 3 … per conversation.
  last_seq int not null default 0,
  last_message_at timestamptz,
  last_message_preview text,
  -- Unhelpful bot answers in a row; two hand off to a person.
  bot_misses int not null default 0,
  handed_off_at timestamptz,
  first_response_at timestamptz,
  -- SLA deadlines, counted in the team's business hours when the clock started.
  first_response_due_at timestamptz,
  resolution_due_at timestamptz,
  resolved_at timestamptz,
  -- Resolved without any agent message (bot containment).
  resolved_by_bot boolean not null default false,
  snoozed_until timestamptz,
  csat_score int check (csat_score between 1 and 5),
  csat_comment text check (length(csat_comment) <= 2000),
  csat_at timestamptz,
  -- The last message the resident has seen (their unread count is last_seq minus this).
  resident_read_seq int not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, id),
  foreign key (tenant_id, team_id) references inbox_teams(tenant_id, id) on delete set null (team_id),
  foreign key (tenant_id, assignee_id) references staff_users(tenant_id, id) on delete set null (assignee_id),
  foreign key (tenant_id, resident_id) references residents(tenant_id, id) on delete set null (resident_id)
);
create index inbox_conversations_queue on inbox_conversations(tenant_id, status, team_id, last_message_at desc);
create index inbox_conversations_assignee on inbox_conversations(tenant_id, assignee_id, status) where assignee_id is not null;
create index inbox_conversations_recent on inbox_conversations(tenant_id, created_at desc);
create index inbox_conversations_resident on inbox_conversations(tenant_id, resident_id) where resident_id is not null;
create index inbox_conversations_email on inbox_conversations(tenant_id, lower(contact_email)) where contact_email is not null;
create index inbox_conversations_snoozed on inbox_conversations(snoozed_until) where status = 'snoozed';

create table inbox_messages (
  id bigserial primary key,
  tenant_id uuid not null references tenants(id) on delete cascade,
  conversation_id uuid not null,
  seq int not null,
  -- The sender's own id for the message: a resend with the same id is the same message.
  client_id text check (client_id ~ '^[A-Za-z0-9_-]{1,64}$'),
  author_kind text not null check (author_kind in ('resident', 'agent', 'bot', 'system')),
  author_id uuid,
  author_name text,
  -- internal = an agent's note, never shown to the resident.
  internal boolean not null default false,
  body text not null check (length(body) <= 10000),
  -- Bot service cards, attachment refs, system event details: see model.ts MessageData.
  data jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  unique (conversation_id, seq),
  unique (conversation_id, client_id),
  foreign key (tenant_id, conversation_id) references inbox_conversations(tenant_id, id) on delete cascade
);
create index inbox_messages_search on inbox_messages using gin (body gin_trgm_ops);

-- Per agent: the last message read in a conversation (unread counts).
create table inbox_reads (
  tenant_id uuid not null references tenants(id) on delete cascade,
  conversation_id uuid not null,
  staff_user_id uuid not null,
  last_read_seq int not null default 0,
  primary key (conversation_id, staff_user_id),
  foreign key (tenant_id, conversation_id) references inbox_conversations(tenant_id, id) on delete cascade,
  foreign key (tenant_id, staff_user_id) references staff_users(tenant_id, id) on delete cascade
);

create table inbox_attachments (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  conversation_id uuid not null,
  -- Set when the message that carries it is sent; an upload not sent within a day is purged.
  message_id bigint references inbox_messages(id) on delete cascade,
  uploaded_by text not null check (uploaded_by in ('resident', 'agent', 'email')),
  filename text not null check (length(filename) between 1 and 200),
  content_type text not null,
  size int not null check (size > 0),
  bytes bytea not null,
  created_at timestamptz not null default now(),
  unique (tenant_id, id),
  foreign key (tenant_id, conversation_id) references inbox_conversations(tenant_id, id) on delete cascade
);
create index inbox_attachments_conversation on inbox_attachments(conversation_id);

-- Every e-mail in or out of a conversation by its Message-ID, so a reply's In-Reply-To or
-- References finds its conversation.
create table inbox_email_messages (
  id bigserial primary key,
  tenant_id uuid not null references tenants(id) on delete cascade,
  conversation_id uuid not null,
  message_id text not null check (length(message_id) <= 998),
  direction text not null check (direction in ('in', 'out')),
  inbox_message_id bigint references inbox_messages(id) on delete set null,
  created_at timestamptz not null default now(),
  unique (tenant_id, message_id),
  foreign key (tenant_id, conversation_id) references inbox_conversations(tenant_id, id) on delete cascade
);
create index inbox_email_messages_conversation on inbox_email_messages(conversation_id, id);

-- Auto-replies sent per address: at most one an hour, so two autoresponders cannot loop.
create table inbox_auto_replies (
  tenant_id uuid not null references tenants(id) on delete cascade,
  address text not null,
  sent_at timestamptz not null default now(),
  primary key (tenant_id, address)
);

create table inbox_canned_responses (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  -- null = every team's agents may use it.
  team_id uuid,
  -- Typed after "/" in the reply box.
  shortcut text not null check (shortcut ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
  titles jsonb not null, -- L10n
  -- L10n; {{resident_name}}, {{agent_name}}, {{reference}} and {{service_link:<uuid>}} are filled in.
  bodies jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, shortcut),
  unique (tenant_id, id),
  foreign key (tenant_id, team_id) references inbox_teams(tenant_id, id) on delete cascade
);

-- The bot's curated answers. It only ever says what is here or in the published catalog.
create table inbox_faq_entries (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  questions jsonb not null, -- L10nList: phrasings residents use, per language
  answers jsonb not null,   -- L10n
  -- A catalog service the answer is about: its card is shown with the answer.
  service_id uuid,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, id),
  foreign key (tenant_id, service_id) references catalog_services(tenant_id, id) on delete set null (service_id)
);

create table inbox_settings (
  tenant_id uuid primary key references tenants(id) on delete cascade,
  chat_enabled boolean not null default true,
  bot_enabled boolean not null default true,
  -- Sites that may embed the chat (https://www.example.fi): the embed script's frame-ancestors.
  allowed_origins text[] not null default '{}',
  auto_reply boolean not null default true,
  updated_at timestamptz not null default now()
);
