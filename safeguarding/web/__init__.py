"""Web pieces every app's pages share: GOV.UK form controls (`widgets`), form fields
(`fields`), the version a form was read at (`forms`), what views do with a service's
refusal (`views`), and how people and moments are written on a page (`display`)."""
