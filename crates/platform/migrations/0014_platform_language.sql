-- A person's own language (en, es); none: their browser's Accept-Language.
ALTER TABLE users ADD COLUMN lang TEXT;
