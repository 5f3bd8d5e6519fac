package io.dstream.mssql.ingester;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LogMaskTest {

    @AfterEach
    void forget() {
        LogMask.reset();
    }

    @Test
    void hidesRegisteredValuesWhereverTheyAppear() {
        LogMask.hide(List.of("S3cret-Value", "abc"));

        assertThat(LogMask.apply("login failed for 'S3cret-Value' (and S3cret-Value again)"))
                .isEqualTo("login failed for '***' (and *** again)");
        // too short to hide by value: it would garble every line
        assertThat(LogMask.apply("abc is fine")).isEqualTo("abc is fine");
    }

    @Test
    void hidesTheLongerOfTwoOverlappingSecretsWhole() {
        LogMask.hide(List.of("pass", "password-of-sa"));

        assertThat(LogMask.apply("x password-of-sa y")).isEqualTo("x *** y");
    }

    @Test
    void hidesNamedSettingsEvenWhenNotRegistered() {
        assertThat(LogMask.apply("server=h;user id=sa;Password=hunter2;encrypt=true"))
                .isEqualTo("server=h;user id=sa;Password=***;encrypt=true");
        assertThat(LogMask.apply("AccountName=a;AccountKey=a2V5==;EndpointSuffix=core.windows.net"))
                .isEqualTo("AccountName=a;AccountKey=***;EndpointSuffix=core.windows.net");
        assertThat(LogMask.apply("https://a.blob.core.windows.net/c?sv=2024&sig=abc%2Fdef&se=x"))
                .isEqualTo("https://a.blob.core.windows.net/c?sv=2024&sig=***&se=x");
        assertThat(LogMask.apply("pwd = x1")).isEqualTo("pwd = ***");
    }

    @Test
    void leavesOrdinaryTextAlone() {
        LogMask.hide(List.of("S3cret-Value"));
        String line = "dbo.orders: 5000 changes in 1 batch(es), lag 0.2 s; wrong password: check the login";

        assertThat(LogMask.apply(line)).isEqualTo(line);
        assertThat(LogMask.apply(null)).isNull();
    }
}
