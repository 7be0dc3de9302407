-- The timeline narrows by actor and action together without reading every event of
-- the actor (both are equalities; the id orders and bounds the page).
CREATE INDEX activity_actor_action ON activity_events(actor_id, action, id);
