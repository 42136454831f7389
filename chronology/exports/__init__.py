"""The integrated chronology out: its data (data, build, published), the files (formats), the
export rows and their jobs (services, selectors) and the pages that ask for them (views)."""
