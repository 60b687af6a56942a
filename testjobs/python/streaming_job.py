"""Tiny PyFlink streaming job for tests: datagen -> Python UDF -> blackhole, checkpointed.

Run on a session cluster through the REST API by uploading Flink's opt/flink-python-<version>.jar and running
entry class org.apache.flink.client.python.PythonDriver with program arguments
["--python", "<absolute path of this file>", <job arguments...>]; see testjobs/README.md.

Job arguments (all optional):
  --rate R                 rows per second (default 5)
  --checkpoint-interval MS checkpoint interval in ms, 0 disables (default 1000)
  --no-udf                 skip the Python UDF (then no Python worker runs on the TaskManager)
  --batch                  bounded run: 100 rows in batch mode, the job finishes
"""

import argparse
import sys

from pyflink.table import DataTypes, EnvironmentSettings, TableEnvironment
from pyflink.table.udf import udf


@udf(result_type=DataTypes.BIGINT())
def plus_one(value):
    return value + 1


def main(argv):
    parser = argparse.ArgumentParser(prog="streaming_job.py")
    parser.add_argument("--rate", type=int, default=5)
    parser.add_argument("--checkpoint-interval", type=int, default=1000)
    parser.add_argument("--no-udf", action="store_true")
    parser.add_argument("--batch", action="store_true")
    args = parser.parse_args(argv)

    settings = EnvironmentSettings.in_batch_mode() if args.batch else EnvironmentSettings.in_streaming_mode()
    t_env = TableEnvironment.create(settings)
    if args.checkpoint_interval > 0 and not args.batch:
        t_env.get_config().set("execution.checkpointing.interval", f"{args.checkpoint_interval} ms")

    bound = "'number-of-rows' = '100'" if args.batch else f"'rows-per-second' = '{args.rate}'"
    t_env.execute_sql(
        "CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', "
        f"'fields.id.min' = '0', 'fields.id.max' = '1000000', {bound})"
    )
    t_env.execute_sql("CREATE TABLE sink (id BIGINT) WITH ('connector' = 'blackhole')")

    if args.no_udf:
        t_env.execute_sql("INSERT INTO sink SELECT id FROM src")
    else:
        t_env.create_temporary_function("plus_one", plus_one)
        t_env.execute_sql("INSERT INTO sink SELECT plus_one(id) FROM src")
    # execute_sql submits the job and returns; the PythonDriver (and the REST call) ends once it is submitted.


if __name__ == "__main__":
    main(sys.argv[1:])
