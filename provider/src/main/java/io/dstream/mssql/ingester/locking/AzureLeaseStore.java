package io.dstream.mssql.ingester.locking;

import com.azure.core.credential.AzureSasCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpClient;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.core.util.HttpClientOptions;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.LeaseStateType;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobAcquireLeaseOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.specialized.BlobLeaseClient;
import com.azure.storage.blob.specialized.BlobLeaseClientBuilder;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import com.azure.identity.DefaultAzureCredentialBuilder;
import io.dstream.mssql.ingester.locking.LeaseStore.LeaseStoreException.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@link LeaseStore} on an Azure Blob Storage container, through the official SDK. Every call is
 * short and tried once: the locker's own cycles retry, and a renewal that waits on a dead service
 * must not outlive the lease it tries to keep.
 */
final class AzureLeaseStore implements LeaseStore {

    /**
     * One call at runtime. A renewal slower than this is treated as failed (the lease ends at once);
     * one that takes longer than the trusted time minus the renewal period would be too late anyway.
     */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    /** The first call also pays for starting the HTTP client, on a machine busy starting everything else. */
    private static final Duration FIRST_CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final String NEEDED_PERMISSIONS = "read, add, create, write, delete and list on the container";
    /** Azure's rule for container names. */
    private static final Pattern CONTAINER_NAME = Pattern.compile("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]");

    /** How the store signs in: what the messages blame when the service refuses. */
    enum Auth {
        CONNECTION_STRING("the credentials of lock_config.connection_string",
                "check the AccountKey, or that the SAS token is complete, valid and not expired"),
        SAS_TOKEN("the SAS token of lock_config.sas_token", "check that the SAS token is complete, valid and not expired"),
        ENTRA("the Microsoft Entra identity (DefaultAzureCredential) used for lock_config.account_url",
                "check that the identity belongs to the storage account's tenant and that its token is for Azure Storage");

        private final String what;
        private final String check;

        Auth(String what, String check) {
            this.what = what;
            this.check = check;
        }
    }

    private final BlobContainerClient container;
    private final Secrets secrets;
    private final Auth auth;

    private AzureLeaseStore(BlobContainerClient container, Secrets secrets, Auth auth) {
        this.container = container;
        this.secrets = secrets;
        this.auth = auth;
    }

    /** {@link #connect(LockConfig)} with a connection string. */
    static AzureLeaseStore connect(String connectionString, String containerName) {
        return connect(new LockConfig(LockType.AZURE_BLOB, connectionString, containerName, LockConfig.DEFAULT_LEASE_DURATION));
    }

    /**
     * Builds the client from any Azure Storage connection string (account key, SAS, explicit
     * endpoints, {@code UseDevelopmentStorage=true}) or a blob service URL with a SAS query; or from
     * an account URL with a SAS token; or from an account URL alone, signing in with the Azure
     * SDK's {@code DefaultAzureCredential}. Makes no call: the locker creates the container and registers.
     */
    static AzureLeaseStore connect(LockConfig config) {
        String containerName = config.containerName();
        boolean hasConnectionString = config.connectionString() != null && !config.connectionString().isBlank();
        boolean hasAccountUrl = config.accountUrl() != null && !config.accountUrl().isBlank();
        if (!hasConnectionString && !hasAccountUrl) {
            throw new LockerException("connection_string is required for azure_blob locking, or account_url (with sas_token,"
                    + " or alone to sign in with Microsoft Entra ID)");
        }
        if (containerName == null || !CONTAINER_NAME.matcher(containerName).matches()) {
            throw new LockerException("container_name \"" + containerName + "\" is not a valid Azure container"
                    + " name: use 3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit");
        }
        Secrets secrets = new Secrets(config.connectionString(), config.sasToken());
        if (hasConnectionString) {
            BlobServiceClient service;
            try {
                service = withConnectionString(builder(), config.connectionString().trim()).buildClient();
            } catch (LockerException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new LockerException("connection_string is not a usable Azure Storage connection string ("
                        + secrets.redact(e.getMessage()) + "); expected e.g. DefaultEndpointsProtocol=https;AccountName=...;"
                        + "AccountKey=...;EndpointSuffix=core.windows.net, or BlobEndpoint=...;SharedAccessSignature=...");
            }
            return new AzureLeaseStore(service.getBlobContainerClient(containerName), secrets, Auth.CONNECTION_STRING);
        }
        Auth auth = config.sasToken() == null ? Auth.ENTRA : Auth.SAS_TOKEN;
        BlobServiceClientBuilder builder = builder().endpoint(config.accountUrl().strip());
        if (auth == Auth.SAS_TOKEN) {
            String token = config.sasToken().strip();
            builder.credential(new AzureSasCredential(token.startsWith("?") ? token.substring(1) : token));
        } else {
            builder.credential(new DefaultAzureCredentialBuilder().build());
        }
        try {
            return new AzureLeaseStore(builder.buildClient().getBlobContainerClient(containerName), secrets, auth);
        } catch (RuntimeException e) {
            throw new LockerException("account_url is not a usable blob service URL (" + secrets.redact(e.getMessage())
                    + "); expected e.g. https://<account>.blob.core.windows.net");
        }
    }

    private static BlobServiceClientBuilder withConnectionString(BlobServiceClientBuilder builder, String connectionString) {
        String lower = connectionString.toLowerCase(Locale.ROOT);
        return lower.startsWith("https://") || lower.startsWith("http://")
                ? builder.endpoint(connectionString)
                : builder.connectionString(StorageConnectionStrings.normalize(connectionString));
    }

    private static BlobServiceClientBuilder builder() {
        return new BlobServiceClientBuilder()
                .httpClient(HttpClient.createDefault(new HttpClientOptions()
                        .setConnectTimeout(CONNECT_TIMEOUT)
                        .setResponseTimeout(FIRST_CALL_TIMEOUT)
                        .setReadTimeout(FIRST_CALL_TIMEOUT)
                        .setWriteTimeout(FIRST_CALL_TIMEOUT)))
                .retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 1, FIRST_CALL_TIMEOUT,
                        Duration.ofMillis(100), Duration.ofMillis(100), null));
    }

    /** The client's HTTP pipeline: for the test of which credential policy a config leads to. */
    com.azure.core.http.HttpPipeline pipeline() {
        return container.getHttpPipeline();
    }

    /** The account and container, for logs (no secret). */
    String describe() {
        return "account=" + container.getAccountName() + " endpoint=" + secrets.redact(container.getAccountUrl())
                + " container=" + container.getBlobContainerName() + " auth=" + auth.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean createContainer() throws LeaseStoreException {
        try {
            return container.createIfNotExistsWithResponse(null, FIRST_CALL_TIMEOUT, Context.NONE).getValue();
        } catch (BlobStorageException e) {
            if (e.getStatusCode() != 403) {
                throw failure(e);
            }
            // whatever the code says (a SAS scoped to the container can never create it), these credentials cannot
            throw new LeaseStoreException(Kind.REFUSED, "these credentials may not create " + where() + " (" + answer(e)
                    + "): create the container (for example az storage container create --name "
                    + container.getBlobContainerName() + "), or " + (auth == Auth.ENTRA
                    ? "give the identity the role Storage Blob Data Contributor on the storage account"
                    : "use the account key or an account SAS that allows creating it (resource types c and o, permissions racwdl)"));
        } catch (RuntimeException e) {
            throw failure(e);
        }
    }

    @Override
    public Acquisition acquire(String name, String leaseId, Duration duration, Map<String, String> metadata)
            throws LeaseStoreException {
        BlobClient blob = container.getBlobClient(name);
        try {
            Acquisition acquired = Acquisition.ACQUIRED;
            try {
                tryAcquire(blob, leaseId, duration);
            } catch (BlobStorageException e) {
                if (!BlobErrorCode.BLOB_NOT_FOUND.equals(e.getErrorCode())) {
                    throw e;
                }
                create(blob);
                tryAcquire(blob, leaseId, duration);
                acquired = Acquisition.ACQUIRED_NEW_BLOB;
            }
            blob.setMetadataWithResponse(metadata, new BlobRequestConditions().setLeaseId(leaseId), CALL_TIMEOUT, Context.NONE);
            return acquired;
        } catch (BlobStorageException e) {
            if (isHeldByAnother(e)) {
                return Acquisition.HELD_BY_ANOTHER;
            }
            throw failure(e);
        } catch (RuntimeException e) {
            throw failure(e);
        }
    }

    private void tryAcquire(BlobClient blob, String leaseId, Duration duration) {
        lease(blob, leaseId).acquireLeaseWithResponse(new BlobAcquireLeaseOptions((int) duration.toSeconds()),
                CALL_TIMEOUT, Context.NONE);
    }

    /** An empty blob, created only if absent: never overwrites another instance's lock blob. */
    private void create(BlobClient blob) {
        try {
            blob.getBlockBlobClient().uploadWithResponse(
                    new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(new byte[0]))
                            .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*")),
                    CALL_TIMEOUT, Context.NONE);
        } catch (BlobStorageException e) {
            // created meanwhile by another instance (409), or leased by it already (412): both fine
            if (e.getStatusCode() != 409 && e.getStatusCode() != 412) {
                throw e;
            }
        }
    }

    @Override
    public boolean renew(String name, String leaseId) throws LeaseStoreException {
        try {
            lease(container.getBlobClient(name), leaseId).renewLeaseWithResponse((com.azure.core.http.RequestConditions) null,
                    CALL_TIMEOUT, Context.NONE);
            return true;
        } catch (BlobStorageException e) {
            if (isHeldByAnother(e)) {
                return false;
            }
            throw failure(e);
        } catch (RuntimeException e) {
            throw failure(e);
        }
    }

    @Override
    public void release(String name, String leaseId) throws LeaseStoreException {
        try {
            lease(container.getBlobClient(name), leaseId).releaseLeaseWithResponse((com.azure.core.http.RequestConditions) null,
                    CALL_TIMEOUT, Context.NONE);
        } catch (BlobStorageException e) {
            if (!isHeldByAnother(e) && !BlobErrorCode.BLOB_NOT_FOUND.equals(e.getErrorCode())
                    && !BlobErrorCode.CONTAINER_NOT_FOUND.equals(e.getErrorCode())) {
                throw failure(e);
            }
        } catch (RuntimeException e) {
            throw failure(e);
        }
    }

    @Override
    public Optional<Map<String, String>> holder(String name) throws LeaseStoreException {
        try {
            BlobProperties props = container.getBlobClient(name).getPropertiesWithResponse(null, CALL_TIMEOUT, Context.NONE).getValue();
            return props.getLeaseState() == LeaseStateType.LEASED ? Optional.of(props.getMetadata()) : Optional.empty();
        } catch (BlobStorageException e) {
            if (BlobErrorCode.BLOB_NOT_FOUND.equals(e.getErrorCode())) {
                return Optional.empty();
            }
            throw failure(e);
        } catch (RuntimeException e) {
            throw failure(e);
        }
    }

    @Override
    public List<Map<String, String>> liveHolders(String prefix) throws LeaseStoreException {
        List<Map<String, String>> live = new ArrayList<>();
        try {
            ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix)
                    .setDetails(new BlobListDetails().setRetrieveMetadata(true));
            for (BlobItem item : container.listBlobs(options, CALL_TIMEOUT)) {
                if (item.getProperties().getLeaseState() == LeaseStateType.LEASED) {
                    live.add(item.getMetadata() == null ? Map.of() : item.getMetadata());
                } else {
                    deleteUnleased(item.getName());
                }
            }
            return live;
        } catch (BlobStorageException e) {
            throw failure(e);
        } catch (RuntimeException e) {
            throw failure(e);
        }
    }

    /** A dead instance's heartbeat blob. Deleting fails harmlessly (412) if it was leased again meanwhile. */
    private void deleteUnleased(String name) {
        try {
            container.getBlobClient(name).deleteIfExistsWithResponse(null, null, CALL_TIMEOUT, Context.NONE);
        } catch (BlobStorageException e) {
            // leased again, or no delete permission: the blob is only listed, never counted
        }
    }

    private BlobLeaseClient lease(BlobClient blob, String leaseId) {
        return new BlobLeaseClientBuilder().blobClient(blob).leaseId(leaseId).buildClient();
    }

    /** 409 with a lease error code: another lease id holds the blob, or ours expired and is gone. */
    private static boolean isHeldByAnother(BlobStorageException e) {
        BlobErrorCode code = e.getErrorCode();
        return e.getStatusCode() == 409 && code != null && code.toString().startsWith("Lease");
    }

    /** Package-private for the test of the messages. */
    LeaseStoreException failure(RuntimeException e) {
        if (e instanceof BlobStorageException bse) {
            return explain(bse);
        }
        if (e instanceof ClientAuthenticationException) {
            return new LeaseStoreException(Kind.REFUSED, "no Microsoft Entra identity could sign in to " + where() + " ("
                    + secrets.redact(firstLine(e.getMessage())) + "): DefaultAzureCredential tries, in order, a service principal"
                    + " in AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, workload identity (AKS), a managed identity"
                    + " (AZURE_CLIENT_ID for a user-assigned one) and the Azure CLI (az login): set one of them up and give it"
                    + " the role Storage Blob Data Contributor, or give lock_config.sas_token or connection_string instead");
        }
        return new LeaseStoreException(Kind.UNAVAILABLE, "cannot reach the lock service (" + where() + "): "
                + secrets.redact(rootMessage(e)) + "; check the endpoint in lock_config." + (auth == Auth.CONNECTION_STRING
                ? "connection_string" : "account_url") + " and the network");
    }

    /**
     * One sentence saying what failed and what to fix, without secrets. A 403 names the cause its
     * error code gives: only AuthenticationFailed and its kin mean the key or token is wrong.
     */
    private LeaseStoreException explain(BlobStorageException e) {
        String code = String.valueOf(e.getErrorCode());
        String answer = answer(e);
        if (e.getStatusCode() == 403) {
            return new LeaseStoreException(Kind.REFUSED, switch (code) {
                case "AuthenticationFailed", "InvalidAuthenticationInfo", "NoAuthenticationInformation" ->
                        "the storage account refused " + auth.what + " (" + answer + ", " + where() + "): " + auth.check;
                case "AuthorizationPermissionMismatch" -> auth == Auth.ENTRA
                        ? auth.what + " lacks a data role (" + answer + ", " + where() + "): assign it Storage Blob Data"
                                + " Contributor on the container or the storage account (Owner or Contributor do not cover blob data)"
                        : auth.what + " lack a permission (" + answer + ", " + where() + "): locking needs " + NEEDED_PERMISSIONS;
                case "AuthorizationResourceTypeMismatch" -> "the SAS of " + sasName() + " does not cover the"
                        + " resource types locking uses (" + answer + ", " + where() + "): an account SAS needs resource"
                        + " types c and o (srt=co), with " + NEEDED_PERMISSIONS;
                case "AuthorizationServiceMismatch" -> "the SAS of " + sasName() + " is not valid for the Blob"
                        + " service (" + answer + ", " + where() + "): issue it for service b (ss=b)";
                case "AuthorizationSourceIPMismatch" -> "the SAS of " + sasName() + " does not allow this"
                        + " host's IP address (" + answer + ", " + where() + "): widen or remove its IP range (sip)";
                case "AuthorizationProtocolMismatch" -> "the SAS of " + sasName() + " allows HTTPS only ("
                        + answer + ", " + where() + "): use an https:// endpoint";
                // Azure answers this for a firewall or network rule, Azurite for a wrong key too: say both
                case "AuthorizationFailure" -> "the storage account refused the request (" + answer + ", " + where()
                        + "): either its firewall and network rules do not admit this host, or " + auth.what
                        + " are wrong or too narrow: " + auth.check + (auth == Auth.ENTRA
                        ? ", and that it has the role Storage Blob Data Contributor" : " and allows " + NEEDED_PERMISSIONS);
                default -> "the storage account refused the request (" + answer + ", " + where() + "): check "
                        + auth.what + " and that they allow " + NEEDED_PERMISSIONS;
            });
        }
        return switch (code) {
            case "ContainerNotFound" -> new LeaseStoreException(Kind.CONTAINER_MISSING, where()
                    + " does not exist (deleted, or a storage emulator restarted without its data)");
            case "ContainerBeingDeleted" -> new LeaseStoreException(Kind.CONTAINER_MISSING, where()
                    + " is being deleted (Azure lets it be created again once that has finished, usually within a minute)");
            case "BlobNotFound" -> new LeaseStoreException(Kind.BLOB_MISSING, "a lock blob of " + where() + " is gone");
            default -> new LeaseStoreException(Kind.UNAVAILABLE, "the lock service answered " + answer + " (" + where() + ")");
        };
    }

    private static String answer(BlobStorageException e) {
        return e.getStatusCode() + " " + e.getErrorCode();
    }

    private String where() {
        return "container " + container.getBlobContainerName() + " at " + secrets.redact(container.getAccountUrl());
    }

    private String sasName() {
        return auth == Auth.SAS_TOKEN ? "lock_config.sas_token" : "lock_config.connection_string";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
