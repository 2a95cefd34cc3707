-- Restore rebuilds the replica from each order's newest row among a full snapshot and the increments
-- after it: a look-up per order by order id. Without this index every look-up read the whole range of
-- snapshots, so a restore took time in the square of the orders copied.
create index demo_snapshot_order_by_order on demo_snapshot_order (order_id, snapshot_id);
