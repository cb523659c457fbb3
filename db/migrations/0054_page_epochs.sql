-- Two more things every page reads are kept in memory under epochs (issue 17): the
-- account's TINs (the context bar, the dashboard, claims and payments) under the
-- sign-in epoch, which any change to a TIN now replaces too; and each user's count of
-- unread message threads (the Messaging badge) under a messages epoch, which any
-- change to a thread or to a user's read state of one replaces. Both are random values,
-- as in 0052.
ALTER TABLE auth_epoch ADD COLUMN messages INTEGER NOT NULL DEFAULT 0;
UPDATE auth_epoch SET messages = random();
CREATE TRIGGER tins_insert_epoch AFTER INSERT ON tins BEGIN UPDATE auth_epoch SET n = random(); END;
CREATE TRIGGER tins_update_epoch AFTER UPDATE ON tins BEGIN UPDATE auth_epoch SET n = random(); END;
CREATE TRIGGER tins_delete_epoch AFTER DELETE ON tins BEGIN UPDATE auth_epoch SET n = random(); END;
CREATE TRIGGER threads_insert_epoch AFTER INSERT ON message_threads BEGIN UPDATE auth_epoch SET messages = random(); END;
CREATE TRIGGER threads_update_epoch AFTER UPDATE ON message_threads BEGIN UPDATE auth_epoch SET messages = random(); END;
CREATE TRIGGER threads_delete_epoch AFTER DELETE ON message_threads BEGIN UPDATE auth_epoch SET messages = random(); END;
CREATE TRIGGER thread_users_insert_epoch AFTER INSERT ON message_thread_users BEGIN UPDATE auth_epoch SET messages = random(); END;
CREATE TRIGGER thread_users_update_epoch AFTER UPDATE ON message_thread_users BEGIN UPDATE auth_epoch SET messages = random(); END;
CREATE TRIGGER thread_users_delete_epoch AFTER DELETE ON message_thread_users BEGIN UPDATE auth_epoch SET messages = random(); END;
