// The SQLite schema, compiled in from fixtures/sqlite/{main,shard}.sql (the files are the
// single source of truth; CMake embeds them at configure time).
#pragma once

namespace stampede::server::sqlite {

extern const char* const main_schema_sql;
extern const char* const shard_schema_sql;

}  // namespace stampede::server::sqlite
