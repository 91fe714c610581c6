-- Image embeddings for visual baselines and similarity search (512 dimensions: CLIP ViT-B/32 and the
-- bundled perceptual model both produce that). With pgvector: a vector column and an HNSW index. Without:
-- real[] and cosine similarity computed in SQL by td_cosine_similarity, which both paths provide.

CREATE FUNCTION td_cosine_similarity(a real[], b real[]) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN na = 0 OR nb = 0 THEN 0 ELSE dot / (sqrt(na) * sqrt(nb)) END
    FROM (SELECT sum(x * y)::double precision AS dot, sum(x * x)::double precision AS na,
                 sum(y * y)::double precision AS nb
            FROM unnest(a, b) AS t(x, y)) AS s
$$;

-- @if vector
CREATE TABLE td_embeddings (
  id         bigserial PRIMARY KEY,
  kind       text NOT NULL,
  ref        text NOT NULL,
  model      text NOT NULL,
  embedding  vector(512) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, ref, model)
);
CREATE INDEX td_embeddings_hnsw ON td_embeddings USING hnsw (embedding vector_cosine_ops);
-- @else
CREATE TABLE td_embeddings (
  id         bigserial PRIMARY KEY,
  kind       text NOT NULL,
  ref        text NOT NULL,
  model      text NOT NULL,
  embedding  real[] NOT NULL CHECK (cardinality(embedding) = 512),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, ref, model)
);
CREATE INDEX td_embeddings_by_kind ON td_embeddings (kind, model);
-- @endif
