// Provider registry (bundled + user override), .env parsing and precedence, label splitting,
// key status, and the pure wire-format functions of docs/providers.md.
#include "core/jsonutil.h"
#include "providers/dotenv.h"
#include "providers/providerregistry.h"
#include "providers/wireformat.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace djp;

namespace {
const char* const kVars[] = { "OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL",
    "GEMINI_API_KEY", "GOOGLE_API_KEY", "GEMINI_BASE_URL", "OLLAMA_KEY" };

void writeFile(const QString& path, const QByteArray& content)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(content);
}
} // namespace

class TestProviderConfig : public QObject
{
    Q_OBJECT
    QTemporaryDir m_config;

private slots:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        qputenv("DJP_CONFIG_DIR", m_config.path().toUtf8());
    }
    void init()
    {
        for (const char* v : kVars)
            qunsetenv(v);
        QFile::remove(m_config.filePath(QStringLiteral("providers.json")));
    }

    void labels()
    {
        QCOMPARE(vendorOfLabel(QStringLiteral("openai/gpt-4o")), QStringLiteral("openai"));
        QCOMPARE(apiModelName(QStringLiteral("openai/gpt-4o")), QStringLiteral("gpt-4o"));
        QCOMPARE(apiModelName(QStringLiteral("openai/meta-llama/Llama-3-8B")), QStringLiteral("meta-llama/Llama-3-8B"));
        QCOMPARE(vendorOfLabel(QStringLiteral("openai/meta-llama/Llama-3-8B")), QStringLiteral("openai"));
        QCOMPARE(vendorOfLabel(QStringLiteral("gpt-4o")), QString());
        QCOMPARE(apiModelName(QStringLiteral("gpt-4o")), QStringLiteral("gpt-4o"));
    }

    void bundledDefaults()
    {
        QStringList problems;
        const ProviderRegistry reg = ProviderRegistry::loadDefault(&problems);
        QVERIFY(problems.isEmpty());
        QCOMPARE(reg.vendors(), (QStringList { "anthropic", "google", "openai" }));
        QCOMPARE(reg.find("openai")->api, ApiKind::OpenAiChat);
        QCOMPARE(reg.find("anthropic")->api, ApiKind::AnthropicMessages);
        QCOMPARE(reg.find("google")->api, ApiKind::Gemini);
        QCOMPARE(reg.baseUrl("openai"), QStringLiteral("https://api.openai.com/v1"));
        QCOMPARE(reg.baseUrl("anthropic"), QStringLiteral("https://api.anthropic.com"));
        QCOMPARE(reg.baseUrl("google"), QStringLiteral("https://generativelanguage.googleapis.com"));
        QCOMPARE(reg.find("google")->keyEnv, (QStringList { "GEMINI_API_KEY", "GOOGLE_API_KEY" }));
    }

    void keyStatusAndRouting()
    {
        const ProviderRegistry reg = ProviderRegistry::loadDefault();
        QVERIFY(!reg.keyStatus("openai").set);
        ProviderRoute r = reg.route("openai/gpt-4o", false);
        QVERIFY(r.simulated);
        QCOMPARE(r.simulatedBecause, QStringLiteral("no_key"));
        QCOMPARE(r.api, ApiKind::Simulated);

        qputenv("OPENAI_API_KEY", "  sk-secret-value  ");
        const KeyStatus ks = reg.keyStatus("openai");
        QVERIFY(ks.set);
        QCOMPARE(ks.envVar, QStringLiteral("OPENAI_API_KEY"));
        QCOMPARE(reg.apiKey("openai"), QByteArray("sk-secret-value")); // trimmed
        r = reg.route("openai/gpt-4o", false);
        QVERIFY(!r.simulated);
        QCOMPARE(r.api, ApiKind::OpenAiChat);
        QCOMPARE(r.apiModel, QStringLiteral("gpt-4o"));
        QCOMPARE(r.baseUrl, QStringLiteral("https://api.openai.com/v1"));
        // Offline mode wins over a key; unknown vendors are simulated.
        QCOMPARE(reg.route("openai/gpt-4o", true).simulatedBecause, QStringLiteral("offline"));
        QCOMPARE(reg.route("mistral/large", false).simulatedBecause, QStringLiteral("unknown_vendor"));

        // Google: GOOGLE_API_KEY is the fallback, GEMINI_API_KEY wins when both are set.
        qputenv("GOOGLE_API_KEY", "g-fallback");
        QCOMPARE(reg.keyStatus("google").envVar, QStringLiteral("GOOGLE_API_KEY"));
        qputenv("GEMINI_API_KEY", "g-primary");
        QCOMPARE(reg.keyStatus("google").envVar, QStringLiteral("GEMINI_API_KEY"));
        QCOMPARE(reg.apiKey("google"), QByteArray("g-primary"));
        // An empty variable counts as not set.
        qputenv("ANTHROPIC_API_KEY", "");
        QVERIFY(!reg.keyStatus("anthropic").set);
    }

    void baseUrlFromEnvironment()
    {
        const ProviderRegistry reg = ProviderRegistry::loadDefault();
        qputenv("OPENAI_BASE_URL", "http://localhost:11434/v1/");
        QCOMPARE(reg.baseUrl("openai"), QStringLiteral("http://localhost:11434/v1"));
    }

    void userOverrideMergesPerVendor()
    {
        writeFile(m_config.filePath("providers.json"),
            "{\"providers\": { \"openai\": {\"api\": \"openai_chat\", \"base_url\": \"https://proxy.example/v1\", "
            "\"key_env\": \"OPENAI_API_KEY\"}, \"ollama\": {\"api\": \"openai_chat\", \"base_url\": "
            "\"http://localhost:11434/v1\", \"key_env\": [\"OLLAMA_KEY\"], \"key_required\": false} }}");
        QStringList problems;
        const ProviderRegistry reg = ProviderRegistry::loadDefault(&problems);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        QCOMPARE(reg.vendors(), (QStringList { "anthropic", "google", "ollama", "openai" }));
        QCOMPARE(reg.baseUrl("openai"), QStringLiteral("https://proxy.example/v1"));
        QCOMPARE(reg.find("openai")->baseUrlEnv, QString()); // the user entry replaced the whole vendor
        const ProviderRoute r = reg.route("ollama/llama3", false); // keyless local server: real route
        QVERIFY(!r.simulated);
        QCOMPARE(r.apiModel, QStringLiteral("llama3"));
    }

    void invalidUserFileKeepsDefaults_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("not json") << QByteArray("{nope");
        QTest::newRow("no providers") << QByteArray("{\"vendors\": {}}");
        QTest::newRow("unknown api") << QByteArray(
            "{\"providers\": {\"x\": {\"api\": \"carrier_pigeon\", \"base_url\": \"http://x\"}}}");
        QTest::newRow("no base url") << QByteArray("{\"providers\": {\"x\": {\"api\": \"openai_chat\"}}}");
    }
    void invalidUserFileKeepsDefaults()
    {
        QFETCH(QByteArray, content);
        writeFile(m_config.filePath("providers.json"), content);
        QStringList problems;
        const ProviderRegistry reg = ProviderRegistry::loadDefault(&problems);
        QCOMPARE(problems.size(), 1);
        QVERIFY(problems[0].contains(QStringLiteral("providers.json")));
        QCOMPARE(reg.vendors(), (QStringList { "anthropic", "google", "openai" }));
    }

    void dotEnvParsing()
    {
        const QByteArray content = "\xEF\xBB\xBF# comment line\r\n"
                                   "PLAIN=value\r\n"
                                   "export EXPORTED=yes\n"
                                   "  SPACED  =  padded value  \n"
                                   "DQ=\"line1\\nline2 \\\"q\\\" # not a comment\"\n"
                                   "SQ='raw \\n $HOME # kept'\n"
                                   "INLINE=abc # trailing comment\n"
                                   "HASH=abc#def\n"
                                   "EMPTY=\n"
                                   "not a line\n"
                                   "1BAD=x\n"
                                   "UNCLOSED=\"oops\n"
                                   "DUP=first\n"
                                   "DUP=second\n";
        const DotEnvParse p = parseDotEnv(content);
        QMap<QString, QString> m;
        for (const auto& [k, v] : p.entries)
            m[k] = v;
        QCOMPARE(m.value("PLAIN"), QStringLiteral("value"));
        QCOMPARE(m.value("EXPORTED"), QStringLiteral("yes"));
        QCOMPARE(m.value("SPACED"), QStringLiteral("padded value"));
        QCOMPARE(m.value("DQ"), QStringLiteral("line1\nline2 \"q\" # not a comment"));
        QCOMPARE(m.value("SQ"), QStringLiteral("raw \\n $HOME # kept"));
        QCOMPARE(m.value("INLINE"), QStringLiteral("abc"));
        QCOMPARE(m.value("HASH"), QStringLiteral("abc#def"));
        QVERIFY(m.contains("EMPTY"));
        QCOMPARE(m.value("EMPTY"), QString());
        QCOMPARE(m.value("DUP"), QStringLiteral("second"));
        QVERIFY(!m.contains("1BAD"));
        QVERIFY(!m.contains("UNCLOSED"));
        QCOMPARE(p.badLines, (std::vector<int> { 10, 11, 12 }));
    }

    void dotEnvNeverOverridesTheEnvironment()
    {
        qputenv("OPENAI_API_KEY", "from-shell");
        qputenv("GOOGLE_API_KEY", ""); // set but empty still counts as set
        QTemporaryDir dir;
        writeFile(dir.filePath(".env"),
            "OPENAI_API_KEY=from-dotenv\nANTHROPIC_API_KEY='sk-ant-dotenv'\n"
            "GOOGLE_API_KEY=from-dotenv\nANTHROPIC_API_KEY=second\n");
        const QStringList set = loadDotEnvFile(dir.filePath(".env"));
        QCOMPARE(set, QStringList { "ANTHROPIC_API_KEY" });
        QCOMPARE(qgetenv("OPENAI_API_KEY"), QByteArray("from-shell"));
        QCOMPARE(qgetenv("GOOGLE_API_KEY"), QByteArray(""));
        QCOMPARE(qgetenv("ANTHROPIC_API_KEY"), QByteArray("second")); // later line in the same file wins
        QVERIFY(loadDotEnvFile(dir.filePath("missing.env")).isEmpty());
    }

    void openAiRequest()
    {
        ChatRequest r;
        r.system = QStringLiteral("sys");
        r.user = QStringLiteral("hello");
        r.maxTokens = 123;
        r.temperature = 0.3;
        HttpCall c = buildHttpCall(ApiKind::OpenAiChat, "https://x.test/v1/", "gpt-4o", "KEY", r);
        QCOMPARE(c.url.toString(), QStringLiteral("https://x.test/v1/chat/completions"));
        QVERIFY(c.headers.contains(qMakePair(QByteArray("Authorization"), QByteArray("Bearer KEY"))));
        auto j = *parseJson(c.body);
        QVERIFY(j["model"] == "gpt-4o");
        QCOMPARE(j["messages"].size(), 2u);
        QVERIFY(j["messages"][0]["role"] == "system");
        QVERIFY(j["messages"][1]["content"] == "hello");
        QVERIFY(j["max_tokens"] == 123);
        QVERIFY(!j.contains("seed"));
        r.seed = 42;
        r.system.clear();
        c = buildHttpCall(ApiKind::OpenAiChat, "https://x.test/v1", "gpt-4o", "", r);
        j = *parseJson(c.body);
        QVERIFY(j["seed"] == 42);
        QCOMPARE(j["messages"].size(), 1u); // no empty system message
        for (const auto& h : c.headers)
            QVERIFY(h.first != "Authorization"); // keyless: no auth header
    }

    void parseReplies()
    {
        auto p = parseReplyBody(ApiKind::AnthropicMessages,
            "{\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"tool_use\",\"id\":\"t\"},{\"type\":\"text\","
            "\"text\":\"b\"}], \"usage\":{\"input_tokens\":5,\"output_tokens\":7}}");
        QVERIFY(p.ok);
        QCOMPARE(p.text, QStringLiteral("ab"));
        QCOMPARE(p.inputTokens.value_or(-1), 5);
        QCOMPARE(p.outputTokens.value_or(-1), 7);

        p = parseReplyBody(ApiKind::Gemini,
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"x\"},{\"text\":\"y\"}]}}], "
            "\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":4}}");
        QVERIFY(p.ok);
        QCOMPARE(p.text, QStringLiteral("xy"));
        QCOMPARE(p.outputTokens.value_or(-1), 4);
        // Safety-blocked Gemini reply: valid, empty.
        p = parseReplyBody(ApiKind::Gemini, "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"}}");
        QVERIFY(p.ok);
        QVERIFY(p.text.isEmpty());
        QVERIFY(!p.inputTokens);

        p = parseReplyBody(ApiKind::OpenAiChat, "{\"choices\":[{\"message\":{\"content\":\"hi\"}}]}");
        QVERIFY(p.ok);
        QVERIFY(!p.inputTokens); // no usage
        QVERIFY(!parseReplyBody(ApiKind::OpenAiChat, "{\"choices\":[]}").ok);
        QVERIFY(!parseReplyBody(ApiKind::OpenAiChat, "[1,2]").ok);
        QVERIFY(!parseReplyBody(ApiKind::AnthropicMessages, "{\"content\": \"x\"").ok);
        QVERIFY(!parseReplyBody(ApiKind::Gemini, "{}").ok);
    }

    void tokenCountsAreNeverNegative()
    {
        // Found by fuzz_wireformat_replay: a negative (or absurd) usage number must not become a negative
        // or overflowed token count; it is no count at all, and cache counts that are not counts are 0.
        auto p = parseReplyBody(ApiKind::AnthropicMessages,
            "{\"content\":[],\"usage\":{\"input_tokens\":-12,\"output_tokens\":-3,\"cache_read_input_tokens\":-7}}");
        QVERIFY(p.ok);
        QVERIFY(!p.inputTokens);
        QVERIFY(!p.outputTokens);
        QCOMPARE(p.cacheReadTokens, 0);
        p = parseReplyBody(ApiKind::AnthropicMessages,
            "{\"content\":[],\"usage\":{\"input_tokens\":9223372036854775807,"
            "\"cache_read_input_tokens\":9223372036854775807,\"cache_creation_input_tokens\":1e300}}");
        QVERIFY(p.ok);
        QVERIFY(p.inputTokens && *p.inputTokens > 0); // capped, not wrapped around
        p = parseReplyBody(ApiKind::OpenAiChat,
            "{\"choices\":[{\"message\":{\"content\":\"hi\"}}],\"usage\":{\"prompt_tokens\":-1e30,"
            "\"completion_tokens\":12.0}}");
        QVERIFY(p.ok);
        QVERIFY(!p.inputTokens);
        QCOMPARE(p.outputTokens.value_or(-1), 12);
        p = parseReplyBody(ApiKind::Gemini,
            "{\"candidates\":[],\"usageMetadata\":{\"promptTokenCount\":-4,\"candidatesTokenCount\":-9}}");
        QVERIFY(p.ok);
        QVERIFY(!p.inputTokens);
    }

    void errorCodesAreKeyFree()
    {
        QCOMPARE(errorBodyCode("{\"error\":{\"message\":\"Incorrect API key provided: "
                               "sk-abc\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"),
            QStringLiteral("invalid_api_key"));
        QCOMPARE(
            errorBodyCode("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}"),
            QStringLiteral("rate_limit_error"));
        QCOMPARE(errorBodyCode("{\"error\":{\"code\":429,\"message\":\"m\",\"status\":\"RESOURCE_EXHAUSTED\"}}"),
            QStringLiteral("RESOURCE_EXHAUSTED"));
        QCOMPARE(errorBodyCode("{\"error\":{\"code\":\"key sk-abc is bad\"}}"), QString()); // not an identifier
        QCOMPARE(errorBodyCode("<html>"), QString());
    }
};

QTEST_GUILESS_MAIN(TestProviderConfig)
#include "tst_providerconfig.moc"
