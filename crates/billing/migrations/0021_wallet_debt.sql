-- A top-up's Stripe payment, so a refund or a lost dispute of it is taken back from the wallet
-- (the one way a balance goes below zero: a debt, which restricts the workspace until paid).
ALTER TABLE wallet_topups ADD COLUMN intent_id TEXT;
CREATE INDEX wallet_topups_intent ON wallet_topups (intent_id);
-- When the owners were last told the balance is low (once until it is topped up again).
ALTER TABLE wallet_balances ADD COLUMN low_notified_at BIGINT;
