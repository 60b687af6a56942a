package io.jobcontroller.sqlrunner;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/**
 * Runs SQL statements on a session cluster without a SQL Gateway, one statement per program argument, in order.
 *
 * <p>This is the SQL runner the operator ships in its image ({@code /opt/flink-job-controller/sql-runner.jar}) and
 * submits for FlinkJobs with {@code spec.artifact.sql}: the jar is uploaded and run through
 * {@code POST /jars/:id/run} with the statements as {@code programArgsList}. Its behaviour is that of the test
 * job {@code io.jobcontroller.testjobs.SqlRunner} in {@code testjobs/}.
 * Trailing {@code ;} and blank statements are ignored. Statements are handled like the SQL client does:
 * <ul>
 *   <li>{@code SET 'key' = 'value'} sets a table configuration option ({@code executeSql} rejects SET).
 *       {@code execution.runtime-mode} is applied before the table environment is created, wherever it
 *       appears, because the mode cannot change afterwards.</li>
 *   <li>{@code INSERT ...} statements are collected into one {@link StatementSet} and submitted together at the
 *       end as a single Flink job: a second streaming job from one program fails with "Cannot have more than
 *       1 streaming jobs in a single environment" after the first one was already submitted.</li>
 *   <li>Everything else (DDL, {@code EXECUTE STATEMENT SET ...}, ...) goes through
 *       {@code TableEnvironment.executeSql} immediately.</li>
 * </ul>
 * The program returns once the job is submitted; it never waits for an unbounded job.
 */
public final class SqlRunner {

    private static final Pattern SET = Pattern.compile("(?is)^SET\\s+'([^']+)'\\s*=\\s*'([^']*)'$");
    private static final Pattern INSERT = Pattern.compile("(?is)^INSERT\\s.*");

    private SqlRunner() {}

    public static void main(String[] args) {
        List<String> statements = new ArrayList<>();
        for (String arg : args) {
            String statement = arg.trim();
            while (statement.endsWith(";")) {
                statement = statement.substring(0, statement.length() - 1).trim();
            }
            if (!statement.isEmpty()) {
                statements.add(statement);
            }
        }
        if (statements.isEmpty()) {
            throw new IllegalArgumentException("SqlRunner needs at least one SQL statement as program argument");
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        for (String statement : statements) {
            Matcher set = SET.matcher(statement);
            if (set.matches() && set.group(1).equals("execution.runtime-mode")) {
                env.setRuntimeMode(RuntimeExecutionMode.valueOf(set.group(2).trim().toUpperCase(Locale.ROOT)));
            }
        }
        StreamTableEnvironment tableEnv = StreamTableEnvironment.create(env);
        StatementSet inserts = tableEnv.createStatementSet();
        int insertCount = 0;
        for (String statement : statements) {
            Matcher set = SET.matcher(statement);
            if (set.matches()) {
                System.out.println("SqlRunner setting: " + set.group(1) + " = " + set.group(2));
                tableEnv.getConfig().getConfiguration().setString(set.group(1), set.group(2));
            } else if (INSERT.matcher(statement).matches()) {
                System.out.println("SqlRunner adding insert: " + statement);
                inserts.addInsertSql(statement);
                insertCount++;
            } else {
                System.out.println("SqlRunner executing: " + statement);
                tableEnv.executeSql(statement);
            }
        }
        if (insertCount > 0) {
            System.out.println("SqlRunner submitting " + insertCount + " insert(s) as one job");
            inserts.execute();
        }
    }
}
