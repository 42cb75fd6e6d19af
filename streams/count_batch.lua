-- Apply one batch of enriched tweets of ONE day window, exactly once per tweet id.
--
-- KEYS[1]  the window's key stem, e.g. "tp:{w:20251107}" (every key below shares its hash tag)
-- ARGV[1]  cap of each per-topic top-tweets sorted set
-- ARGV[2]  cap of the emerging-terms sorted set
-- ARGV[3]  TTL (s) of minute buckets
-- ARGV[4]  TTL (s) of hour buckets
-- ARGV[5]  TTL (s) of everything else in the window
-- ARGV[6]  JSON array of tweets: {i=id, a=author, m=minute, h=hour, ad=0|1, r=[reasons],
--          t=[topics], x=[terms], e=engagement, rec=compact record JSON, for a retweet
--          either o=original's id or k=original's key ("rt:<hash>", id unknown), l=1 only
--          when the tweet's id is lossy (read from a float: never linked in the report), and
--          v=voice key (a hash of the text it spreads) when it has terms}
-- ARGV[7..] optional pairs: tweets.enriched partition, offset of the record(s) the batch came
--          from; each lowers the window's `:offsets` hash (partition -> lowest offset that
--          carried a tweet of the window), where `tweetpulse rebuild` starts its replay
-- returns  {new, duplicates, late, has_state}: has_state 1 when the window is closing or closed
--          (the caller must not register it as open again)
--
-- Per tweet: SADD the id into the window's seen-set; only a NEW id touches any counter, so a
-- batch replayed after a crash or a rebalance, or a tweet re-sent by a producer, counts once.
-- The whole call is atomic: a batch is applied entirely or not at all.
--
-- Top tweets per topic (`:top:<topic>`, sorted by IN-WINDOW engagement, capped) hold one
-- MEMBER per original: a tweet's own id, or for a retweet (whose metrics are the original's
-- counts) `o`, or, when the original's id is unknown, the smallest id among the retweets of `k`
-- (kept in the `:tw` hash under the field `k`), so every member is a real tweet id. `:tw`
-- (member -> record) keeps the record of its tweet with the highest engagement (ties: the
-- smallest tweet id, the record's `src`) among those counted while it held a top entry or a
-- record, citing the member: for an original capped out of its top sets and back, which of
-- its tweets supplied the record (its time, counts, a retweet's cut text) may depend on the
-- counting order; the member, its score and its author do not.
--
-- In-window engagement: a retweet carries the original's LIFETIME counts, so an old viral
-- tweet retweeted once today would outrank the day's own stories. `:orig` keeps, per original
-- (field: `o`, `k` or the tweet's own id; uncapped, so an entry capped out of a top set comes
-- back with its whole history), "hi lo own rts topics...": the highest and lowest engagement
-- seen in the window, 1 once the original itself was counted (posted in the window), the
-- retweets of it counted, and every topic any of them had. The score is
--   max(hi - (own == 1 and 0 or lo), 2 * rts)
-- the engagement gained in the window (all of it for an original posted in it; else between
-- the first and the last snapshot), and at least 2 per retweet counted in the window (a
-- retweet weighs 2 in the engagement formula; on a sampled stream the snapshots of one day
-- barely move). Each input only grows the score (max, min, flags, counts), so ZADD GT of the
-- recomputed score into every topic of the original gives the same sets in any counting
-- order: a member popped by the cap (lowest score, then the lexically smallest member) stays
-- below every kept one, and comes back with its full score if a later tweet re-adds it.
--
-- Hot words by voice: `:terms` counts every tweet (the burst detector's volume); `:oterms`
-- counts each term once per VOICE, the text a tweet spreads (`v`: its retweets and copies
-- share it), via the set `:vterms` of "voice term" pairs already counted: 17 retweets of one
-- tweet make its words count 1, in any counting order (a union of the voice's terms).
--
-- A record citing a lossy id has "l":1 (absent otherwise: a normal id's record is what the
-- caller wrote). For a key `k`, the field `k:l` exists while the retweet standing for it has a
-- lossy id, so a record re-cited to that retweet gets its flag, not the flag of its source.

local base = KEYS[1]
local top_cap = tonumber(ARGV[1])
local term_cap = tonumber(ARGV[2])
local ttl_min = tonumber(ARGV[3])
local ttl_hour = tonumber(ARGV[4])
local ttl_state = tonumber(ARGV[5])
local batch = cjson.decode(ARGV[6])

local seen = base .. ':seen'
local tot = base .. ':tot'
local closed = redis.call('GET', base .. ':state')
local touched_min, touched_hour, touched_top = {}, {}, {}
local new, dup, late = 0, 0, 0

-- where in Kafka the window's tweets start (a min-update per pair: per batch, not per tweet)
if #batch > 0 then
  local offsets = base .. ':offsets'
  for j = 7, #ARGV - 1, 2 do
    local cur = redis.call('HGET', offsets, ARGV[j])
    if (not cur) or tonumber(ARGV[j + 1]) < tonumber(cur) then
      redis.call('HSET', offsets, ARGV[j], ARGV[j + 1])
      redis.call('EXPIRE', offsets, ttl_state)
    end
  end
end

local tws = base .. ':tw'

-- tweet ids are decimal strings: the shorter is the smaller, then the lexically smaller
local function id_less(a, b)
  if #a ~= #b then return #a < #b end
  return a < b
end

-- a record citing `id` instead (another retweet of the same original stands for it), flagged
-- when that id is lossy
local function with_id(rec, id, lossy)
  local decoded = cjson.decode(rec)
  decoded.id = id
  if lossy then decoded.l = 1 else decoded.l = nil end
  return cjson.encode(decoded)
end

-- The member standing for the retweets of an original of unknown id (key `tw.k`): the smallest
-- (earliest) retweet id seen so far. An earlier retweet counted later takes over, its entries
-- and record move to it, so the views do not depend on the order tweets are counted in.
local function member_for_key(tw, known)
  local held = redis.call('HGET', tws, tw.k)
  if held and not id_less(tw.i, held) then return held end
  redis.call('HSET', tws, tw.k, tw.i)
  if tw.l then
    redis.call('HSET', tws, tw.k .. ':l', 1)
  elseif held then
    redis.call('HDEL', tws, tw.k .. ':l')
  end
  if held then
    local topics, rec = {}, redis.call('HGET', tws, held)
    for _, topic in ipairs(tw.t) do topics[topic] = true end
    for _, topic in ipairs(known) do topics[topic] = true end
    if rec then
      for _, topic in ipairs(cjson.decode(rec).topics or {}) do topics[topic] = true end
      redis.call('HDEL', tws, held)
      redis.call('HSET', tws, tw.i, with_id(rec, tw.i, tw.l))
    end
    for topic, _ in pairs(topics) do
      local zkey = base .. ':top:' .. topic
      local score = redis.call('ZSCORE', zkey, held)
      if score then
        redis.call('ZREM', zkey, held)
        redis.call('ZADD', zkey, score, tw.i)
        touched_top[zkey] = true  -- the key may have been recreated: give it its TTL again
      end
    end
  end
  return tw.i
end

-- Whether `tw`'s record replaces `held`, the one kept for its member (if any): the highest
-- engagement wins (a retweet carries the original's counts when it was made: the highest are
-- the freshest), then the smallest source tweet id (`src`), so a recount in any order keeps
-- the same record.
local function outranks(tw, held)
  if not held then return true end
  local cur = cjson.decode(held)
  local engagement = tonumber(cur.engagement) or 0
  if tw.e ~= engagement then return tw.e > engagement end
  local src = cur.src
  return type(src) ~= 'string' or src == tw.i or id_less(tw.i, src)
end

local orig = base .. ':orig'

-- The original's in-window state after counting `tw` (see the header), and its previous
-- topics: returns score, all topics (a list), topics before this tweet (a list).
local function window_state(tw, ident)
  local hi, lo, own, rts, before = tw.e, tw.e, 0, 0, {}
  local cur = redis.call('HGET', orig, ident)
  if cur then
    local n = 0
    for word in string.gmatch(cur, '%S+') do
      n = n + 1
      if n == 1 then hi = math.max(hi, tonumber(word))
      elseif n == 2 then lo = math.min(lo, tonumber(word))
      elseif n == 3 then own = tonumber(word)
      elseif n == 4 then rts = tonumber(word)
      else before[#before + 1] = word end
    end
  end
  if tw.o or tw.k then rts = rts + 1 else own = 1 end
  local all, has = {}, {}
  for _, topic in ipairs(before) do all[#all + 1] = topic; has[topic] = true end
  for _, topic in ipairs(tw.t) do
    if not has[topic] then all[#all + 1] = topic; has[topic] = true end
  end
  table.sort(all)
  redis.call('HSET', orig, ident,
             hi .. ' ' .. lo .. ' ' .. own .. ' ' .. rts .. ' ' .. table.concat(all, ' '))
  local gain = hi - ((own == 1) and 0 or lo)
  return math.max(gain, 2 * rts), all, before
end

local function bump_bucket(kind, topic, bucket)
  local key = base .. ':' .. kind .. ':' .. topic
  redis.call('HINCRBY', key, bucket, 1)
  if kind == 'min' then touched_min[key] = true else touched_hour[key] = true end
end

for _, tw in ipairs(batch) do
  if redis.call('SADD', seen, tw.i) == 0 then
    dup = dup + 1
  else
    new = new + 1
    redis.call('HINCRBY', tot, 'total', 1)
    if closed then
      late = late + 1
      redis.call('HINCRBY', tot, 'late', 1)
    end
    bump_bucket('min', '_all', tw.m)
    bump_bucket('hour', '_all', tw.h)
    if tw.a ~= '' then redis.call('PFADD', base .. ':authors', tw.a) end
    if tw.ad == 1 then
      redis.call('HINCRBY', tot, 'ads', 1)
      bump_bucket('min', '_ads', tw.m)
      for _, reason in ipairs(tw.r) do redis.call('HINCRBY', base .. ':adr', reason, 1) end
    else
      local kept, member = false, tw.i
      for _, topic in ipairs(tw.t) do
        redis.call('HINCRBY', base .. ':topics', topic, 1)
        bump_bucket('min', topic, tw.m)
        bump_bucket('hour', topic, tw.h)
      end
      if #tw.t > 0 then
        local score, all, before = window_state(tw, tw.o or tw.k or tw.i)
        if tw.o then member = tw.o elseif tw.k then member = member_for_key(tw, before) end
        for _, topic in ipairs(all) do
          local zkey = base .. ':top:' .. topic
          redis.call('ZADD', zkey, 'GT', score, member)
          touched_top[zkey] = true
          if redis.call('ZCARD', zkey) > top_cap then
            local popped = redis.call('ZPOPMIN', zkey)
            if popped[1] ~= member then kept = true end
          else
            kept = true
          end
        end
      end
      if tw.rec ~= '' then
        -- a member's record is written when it enters a top set, and updated by every later
        -- tweet of it that outranks it (kept or not: the result must not depend on the order)
        local held = redis.call('HGET', tws, member)
        if (kept or held) and outranks(tw, held) then
          local rec = tw.rec
          if tw.k and member ~= tw.i then
            rec = with_id(rec, member, redis.call('HEXISTS', tws, tw.k .. ':l') == 1)
          end
          redis.call('HSET', tws, member, rec)
        end
      end
      if #tw.x > 0 then
        -- per-minute term counts: the burst detector's and /api/trending's time series
        local tmin = base .. ':tmin:' .. tw.m
        local voice = tw.v or tw.i
        for _, term in ipairs(tw.x) do
          redis.call('ZINCRBY', base .. ':terms', 1, term)
          redis.call('HINCRBY', tmin, term, 1)
          -- the report's hot words: once per voice
          if redis.call('SADD', base .. ':vterms', voice .. ' ' .. term) == 1 then
            redis.call('ZINCRBY', base .. ':oterms', 1, term)
          end
        end
        touched_min[tmin] = true
      end
    end
  end
end

if new > 0 then
  for _, suffix in ipairs({':terms', ':oterms'}) do
    local terms = base .. suffix
    local nterms = redis.call('ZCARD', terms)
    if nterms > 2 * term_cap then
      -- keep the strongest term_cap terms; the tail is noise for "emerging terms"
      redis.call('ZREMRANGEBYRANK', terms, 0, nterms - term_cap - 1)
    end
  end
  for key, _ in pairs(touched_min) do redis.call('EXPIRE', key, ttl_min) end
  for key, _ in pairs(touched_hour) do redis.call('EXPIRE', key, ttl_hour) end
  for key, _ in pairs(touched_top) do redis.call('EXPIRE', key, ttl_state) end
  for _, suffix in ipairs({':seen', ':tot', ':topics', ':adr', ':authors', ':tw', ':terms',
                           ':offsets', ':orig', ':oterms', ':vterms'}) do
    redis.call('EXPIRE', base .. suffix, ttl_state)
  end
end
return {new, dup, late, closed and 1 or 0}
