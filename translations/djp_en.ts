<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>QObject</name>
    <message numerus="yes">
        <source>only %n run(s) in the window, %1 needed</source>
        <translation>
            <numerusform>only %n run in the window, %1 needed</numerusform>
            <numerusform>only %n runs in the window, %1 needed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>over %n grounded run(s)</source>
        <translation>
            <numerusform>over %n grounded run</numerusform>
            <numerusform>over %n grounded runs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>over %n run(s)</source>
        <translation>
            <numerusform>over %n run</numerusform>
            <numerusform>over %n runs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n alert(s) firing (%1 critical)</source>
        <translation>
            <numerusform>%n alert firing (%1 critical)</numerusform>
            <numerusform>%n alerts firing (%1 critical)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n alert(s) firing</source>
        <translation>
            <numerusform>%n alert firing</numerusform>
            <numerusform>%n alerts firing</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln run(s) = %2 (exact %3)</source>
        <translation>
            <numerusform>%1 of %Ln run = %2 (exact %3)</numerusform>
            <numerusform>%1 of %Ln runs = %2 (exact %3)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>djp::AlertMonitor</name>
    <message numerus="yes">
        <source>%n alert(s)</source>
        <translation>
            <numerusform>%n alert</numerusform>
            <numerusform>%n alerts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n resolved message(s)</source>
        <translation>
            <numerusform>%n resolved message</numerusform>
            <numerusform>%n resolved messages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 and %2 not delivered to %3 after %n attempt(s): %4. They are sent again at the next evaluation.</source>
        <translation>
            <numerusform>%1 and %2 not delivered to %3 after %n attempt: %4. They are sent again at the next evaluation.</numerusform>
            <numerusform>%1 and %2 not delivered to %3 after %n attempts: %4. They are sent again at the next evaluation.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>djp::AlertsPage</name>
    <message numerus="yes">
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n run</numerusform>
            <numerusform>%n runs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n alert(s) firing</source>
        <translation>
            <numerusform>%n alert firing</numerusform>
            <numerusform>%n alerts firing</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n alert(s) firing (%1 critical)</source>
        <translation>
            <numerusform>%n alert firing (%1 critical)</numerusform>
            <numerusform>%n alerts firing (%1 critical)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Rules look at every run in %1 from %2 (at least %n run(s)). The sidebar filters do not apply here. They are evaluated again whenever runs are added or changed.</source>
        <translation>
            <numerusform>Rules look at every run in %1 from %2 (at least %n run). The sidebar filters do not apply here. They are evaluated again whenever runs are added or changed.</numerusform>
            <numerusform>Rules look at every run in %1 from %2 (at least %n runs). The sidebar filters do not apply here. They are evaluated again whenever runs are added or changed.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>djp::BudgetGauge</name>
    <message numerus="yes">
        <source>%1 of %2 token(s) (%3)</source>
        <translation>
            <numerusform>%1 of %2 token (%3)</numerusform>
            <numerusform>%1 of %2 tokens (%3)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>djp::ChartSeries</name>
    <message numerus="yes">
        <source>%Ln run(s)</source>
        <translation>
            <numerusform>%Ln run</numerusform>
            <numerusform>%Ln runs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln run(s) (%1)</source>
        <translation>
            <numerusform>%Ln run (%1)</numerusform>
            <numerusform>%Ln runs (%1)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>djp::ChartWidget</name>
    <message numerus="yes">
        <source>%n more row(s) in Show data.</source>
        <translation>
            <numerusform>%n more row in Show data.</numerusform>
            <numerusform>%n more rows in Show data.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>djp::CompareDialog</name>
    <message numerus="yes">
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n row</numerusform>
            <numerusform>%n rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n differ(s)</source>
        <translation>
            <numerusform>%n differs</numerusform>
            <numerusform>%n differ</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>djp::DashboardPage</name>
    <message numerus="yes">
        <source>%Ln simulated</source>
        <translation>
            <numerusform>%Ln simulated</numerusform>
            <numerusform>%Ln simulated</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n run</numerusform>
            <numerusform>%n runs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln run(s) in the team history</source>
        <translation>
            <numerusform>%1 of %Ln run in the team history</numerusform>
            <numerusform>%1 of %Ln runs in the team history</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln loaded run(s)</source>
        <translation>
            <numerusform>%1 of %Ln loaded run</numerusform>
            <numerusform>%1 of %Ln loaded runs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln run(s)</source>
        <translation>
            <numerusform>%Ln run</numerusform>
            <numerusform>%Ln runs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln run(s) are loaded, but none match the current filters. Widen the time range or clear the filters in the sidebar, or launch a new run from the Launch tab (Ctrl+R) or a terminal:</source>
        <translation>
            <numerusform>%Ln run is loaded, but it does not match the current filters. Widen the time range or clear the filters in the sidebar, or launch a new run from the Launch tab (Ctrl+R) or a terminal:</numerusform>
            <numerusform>%Ln runs are loaded, but none match the current filters. Widen the time range or clear the filters in the sidebar, or launch a new run from the Launch tab (Ctrl+R) or a terminal:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>
Value: %1% (exact %2) over %Ln run(s): reported $%3, computed $%4</source>
        <translation>
            <numerusform>
Value: %1% (exact %2) over %Ln run: reported $%3, computed $%4</numerusform>
            <numerusform>
Value: %1% (exact %2) over %Ln runs: reported $%3, computed $%4</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>djp::InspectorPage</name>
    <message numerus="yes">
        <source>%n match(es)</source>
        <translation>
            <numerusform>%n match</numerusform>
            <numerusform>%n matches</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Calls (%n attempt(s))</source>
        <translation>
            <numerusform>Calls (%n attempt)</numerusform>
            <numerusform>Calls (%n attempts)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n attempt(s), %1 failed, %2 retried</source>
        <translation>
            <numerusform>%n attempt, %1 failed, %2 retried</numerusform>
            <numerusform>%n attempts, %1 failed, %2 retried</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>on: %n citation(s), %1 required</source>
        <translation>
            <numerusform>on: %n citation, %1 required</numerusform>
            <numerusform>on: %n citations, %1 required</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n redaction(s) (%1)</source>
        <translation>
            <numerusform>%n redaction (%1)</numerusform>
            <numerusform>%n redactions (%1)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>djp::JsonNodeTable</name>
    <message numerus="yes">
        <source>{%n key(s)}</source>
        <translation>
            <numerusform>{%n key}</numerusform>
            <numerusform>{%n keys}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>[%n item(s)]</source>
        <translation>
            <numerusform>[%n item]</numerusform>
            <numerusform>[%n items]</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>djp::LaunchPage</name>
    <message numerus="yes">
        <source>Ready: %n debater(s), expected %1</source>
        <translation>
            <numerusform>Ready: %n debater, expected %1</numerusform>
            <numerusform>Ready: %n debaters, expected %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n demo run(s) written.</source>
        <translation>
            <numerusform>%1 of %n demo run written.</numerusform>
            <numerusform>%1 of %n demo runs written.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>djp::MainWindow</name>
    <message numerus="yes">
        <source>%Ln run(s) pushed to the team history</source>
        <translation>
            <numerusform>Run pushed to the team history</numerusform>
            <numerusform>%Ln runs pushed to the team history</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;a href=&quot;problems&quot;&gt;%Ln problem(s)&lt;/a&gt;</source>
        <translation>
            <numerusform>&lt;a href=&quot;problems&quot;&gt;%Ln problem&lt;/a&gt;</numerusform>
            <numerusform>&lt;a href=&quot;problems&quot;&gt;%Ln problems&lt;/a&gt;</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln file(s)</source>
        <translation>
            <numerusform>%Ln file</numerusform>
            <numerusform>%Ln files</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %Ln run(s) to %1.</source>
        <translation>
            <numerusform>Exported %Ln run to %1.</numerusform>
            <numerusform>Exported %Ln runs to %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Loading… %Ln run(s)</source>
        <translation>
            <numerusform>Loading… %Ln run</numerusform>
            <numerusform>Loading… %Ln runs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln run(s)</source>
        <translation>
            <numerusform>%1 of %Ln run</numerusform>
            <numerusform>%1 of %Ln runs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Loading was cancelled after %Ln run(s). &lt;a href=&quot;reload&quot;&gt;Load again&lt;/a&gt;</source>
        <translation>
            <numerusform>Loading was cancelled after %Ln run. &lt;a href=&quot;reload&quot;&gt;Load again&lt;/a&gt;</numerusform>
            <numerusform>Loading was cancelled after %Ln runs. &lt;a href=&quot;reload&quot;&gt;Load again&lt;/a&gt;</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Loaded %Ln run(s); %1 could not be read — &lt;a href=&quot;problems&quot;&gt;Show details&lt;/a&gt;</source>
        <translation>
            <numerusform>Loaded %Ln run; %1 could not be read — &lt;a href=&quot;problems&quot;&gt;Show details&lt;/a&gt;</numerusform>
            <numerusform>Loaded %Ln runs; %1 could not be read — &lt;a href=&quot;problems&quot;&gt;Show details&lt;/a&gt;</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln file(s): %1 parsed, %2 from the index</source>
        <translation>
            <numerusform>%Ln file: %1 parsed, %2 from the index</numerusform>
            <numerusform>%Ln files: %1 parsed, %2 from the index</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>djp::ProjectionPanel</name>
    <message numerus="yes">
        <source>Grounded on %1 (%n required source(s)); the corpus is read when the run starts.</source>
        <translation>
            <numerusform>Grounded on %1 (%n required source); the corpus is read when the run starts.</numerusform>
            <numerusform>Grounded on %1 (%n required sources); the corpus is read when the run starts.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 token(s) expected</source>
        <translation>
            <numerusform>%1 token expected</numerusform>
            <numerusform>%1 tokens expected</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>djp::RunPlan</name>
    <message numerus="yes">
        <source>%n document(s)</source>
        <translation>
            <numerusform>%n document</numerusform>
            <numerusform>%n documents</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n source(s)</source>
        <translation>
            <numerusform>%n source</numerusform>
            <numerusform>%n sources</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n citation(s) required</source>
        <translation>
            <numerusform>%n citation required</numerusform>
            <numerusform>%n citations required</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>djp::RunProgressWidget</name>
    <message numerus="yes">
        <source> · %n call(s) not made for budget reasons</source>
        <translation>
            <numerusform> · %n call not made for budget reasons</numerusform>
            <numerusform> · %n calls not made for budget reasons</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1%2, %3 tokens, %n call(s), %4</source>
        <translation>
            <numerusform>%1%2, %3 tokens, %n call, %4</numerusform>
            <numerusform>%1%2, %3 tokens, %n calls, %4</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancelling — stage: %1 (%2 of %Ln call(s) done)</source>
        <translation>
            <numerusform>Cancelling — stage: %1 (%2 of %Ln call done)</numerusform>
            <numerusform>Cancelling — stage: %1 (%2 of %Ln calls done)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Stage: %1 (%2 of %Ln call(s) done)</source>
        <translation>
            <numerusform>Stage: %1 (%2 of %Ln call done)</numerusform>
            <numerusform>Stage: %1 (%2 of %Ln calls done)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %1 of %2 token(s)</source>
        <translation>
            <numerusform> · %1 of %2 token</numerusform>
            <numerusform> · %1 of %2 tokens</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %1 token(s)</source>
        <translation>
            <numerusform> · %1 token</numerusform>
            <numerusform> · %1 tokens</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>djp::VocabularyText</name>
    <message numerus="yes">
        <source>Projected tokens %1 exceeds budget %2 token(s)</source>
        <translation>
            <numerusform>Projected tokens %1 exceeds budget %2 token</numerusform>
            <numerusform>Projected tokens %1 exceeds budget %2 tokens</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Projected tokens %1 is %2% of budget %3 token(s)</source>
        <translation>
            <numerusform>Projected tokens %1 is %2% of budget %3 token</numerusform>
            <numerusform>Projected tokens %1 is %2% of budget %3 tokens</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>djp::cli</name>
    <message numerus="yes">
        <source>%n file(s) could not be read as run artifacts</source>
        <translation>
            <numerusform>%n file could not be read as a run artifact</numerusform>
            <numerusform>%n files could not be read as run artifacts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>djp::cli::alerts</name>
    <message numerus="yes">
        <source>%n alert(s) already sent within the window</source>
        <translation>
            <numerusform>%n alert already sent within the window</numerusform>
            <numerusform>%n alerts already sent within the window</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n attempt(s)</source>
        <translation>
            <numerusform>%n attempt</numerusform>
            <numerusform>%n attempts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n alert(s)</source>
        <translation>
            <numerusform>%n alert</numerusform>
            <numerusform>%n alerts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n resolved message(s)</source>
        <translation>
            <numerusform>%n resolved message</numerusform>
            <numerusform>%n resolved messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>djp::cli::metrics</name>
    <message numerus="yes">
        <source>%n run(s) in the team history have no cost details yet (pushed by an older djp); run: djp team init --db URL</source>
        <translation>
            <numerusform>%n run in the team history has no cost details yet (pushed by an older djp); run: djp team init --db URL</numerusform>
            <numerusform>%n runs in the team history have no cost details yet (pushed by an older djp); run: djp team init --db URL</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>djp::cli::pricing</name>
    <message numerus="yes">
        <source>since %1, %n older price(s)</source>
        <translation>
            <numerusform>since %1, %n older price</numerusform>
            <numerusform>since %1, %n older prices</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>djp::cli::team</name>
    <message numerus="yes">
        <source>%n run(s) were stored before the failure; push again to resume</source>
        <translation>
            <numerusform>%n run was stored before the failure; push again to resume</numerusform>
            <numerusform>%n runs were stored before the failure; push again to resume</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) not pushed:</source>
        <translation>
            <numerusform>%n file not pushed:</numerusform>
            <numerusform>%n files not pushed:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n new run(s)</source>
        <translation>
            <numerusform>%n new run</numerusform>
            <numerusform>%n new runs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) not pushed</source>
        <translation>
            <numerusform>%n problem not pushed</numerusform>
            <numerusform>%n problems not pushed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Filled in the cost details of %n run(s) from their stored artifacts.</source>
        <translation>
            <numerusform>Filled in the cost details of %n run from its stored artifact.</numerusform>
            <numerusform>Filled in the cost details of %n runs from their stored artifacts.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Could not read the stored artifact of %n run(s): they stay without cost details.</source>
        <translation>
            <numerusform>Could not read the stored artifact of %n run: it stays without cost details.</numerusform>
            <numerusform>Could not read the stored artifact of %n runs: they stay without cost details.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n run</numerusform>
            <numerusform>%n runs</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>djp::cli::validate</name>
    <message numerus="yes">
        <source>%n file(s): </source>
        <translation>
            <numerusform>%n file: </numerusform>
            <numerusform>%n files: </numerusform>
        </translation>
    </message>
</context>
</TS>
