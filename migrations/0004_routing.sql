-- Routing engine (src/modules/routing): weighted full-text vectors per language, derived from
-- the SearchDocument so every writer (import, edit, publish) keeps them right without knowing
-- they exist. Weights follow the document's field order: A names, B alternative names and
-- keywords, C classes and summary, D description. The engine reads them into per-tenant
-- postings once per index version (see search_index_versions) and ranks in memory: PGlite
-- pays tens of microseconds per row, so ranking thousands of matching rows in SQL for every
-- query cannot meet the latency target on a large catalog.
alter table search_documents
  add column tsv_fi tsvector generated always as (
    setweight(to_tsvector('finnish', coalesce(doc #>> '{names,fi}', '')), 'A') ||
    setweight(to_tsvector('finnish', coalesce(doc #>> '{alternativeNames,fi}', '') || ' ' || coalesce(doc #>> '{keywords,fi}', '')), 'B') ||
    setweight(to_tsvector('finnish', coalesce(doc #>> '{classes,fi}', '') || ' ' || coalesce(doc #>> '{summary,fi}', '')), 'C') ||
    setweight(to_tsvector('finnish', coalesce(doc #>> '{description,fi}', '')), 'D')
  ) stored,
  add column tsv_sv tsvector generated always as (
    setweight(to_tsvector('swedish', coalesce(doc #>> '{names,sv}', '')), 'A') ||
    setweight(to_tsvector('swedish', coalesce(doc #>> '{alternativeNames,sv}', '') || ' ' || coalesce(doc #>> '{keywords,sv}', '')), 'B') ||
    setweight(to_tsvector('swedish', coalesce(doc #>> '{classes,sv}', '') || ' ' || coalesce(doc #>> '{summary,sv}', '')), 'C') ||
    setweight(to_tsvector('swedish', coalesce(doc #>> '{description,sv}', '')), 'D')
  ) stored,
  add column tsv_en tsvector generated always as (
    setweight(to_tsvector('english', coalesce(doc #>> '{names,en}', '')), 'A') ||
    setweight(to_tsvector('english', coalesce(doc #>> '{alternativeNames,en}', '') || ' ' || coalesce(doc #>> '{keywords,en}', '')), 'B') ||
    setweight(to_tsvector('english', coalesce(doc #>> '{classes,en}', '') || ' ' || coalesce(doc #>> '{summary,en}', '')), 'C') ||
    setweight(to_tsvector('english', coalesce(doc #>> '{description,en}', '')), 'D')
  ) stored;

-- A per-tenant counter bumped by every change of the index. The engine keeps derived
-- statistics (lexeme document frequencies, the word list) in memory per (tenant, version),
-- so a change is seen by the next query on every instance.
create table search_index_versions (
  tenant_id uuid primary key references tenants(id) on delete cascade,
  version bigint not null default 0
);

create function search_index_bump() returns trigger language plpgsql as $$
begin
  insert into search_index_versions (tenant_id, version)
  values (coalesce(new.tenant_id, old.tenant_id), 1)
  on conflict (tenant_id) do update set version = search_index_versions.version + 1;
  return null;
end $$;

create trigger search_documents_bump after insert or update or delete on search_documents
  for each row execute function search_index_bump();

-- The words of the indexed text (lowercase, unstemmed) per tenant and language, for typo
-- correction with pg_trgm. Rebuilt by the engine when the index version moves on.
create table search_vocabulary (
  tenant_id uuid not null references tenants(id) on delete cascade,
  lang text not null,
  word text not null,
  ndoc int not null,
  version bigint not null,
  primary key (tenant_id, lang, word)
);
create index search_vocabulary_trgm on search_vocabulary using gin (word gin_trgm_ops);

create index search_synonyms_lookup on search_synonyms (tenant_id, lang);
create index search_promotions_lookup on search_promotions (tenant_id, lang);
create index search_queries_top on search_queries (tenant_id, created_at, top_ref_id);
