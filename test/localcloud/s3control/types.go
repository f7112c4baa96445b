package s3control

import "encoding/xml"

// The XML documents of CreateJob and DescribeJob, as the S3 Control API names their
// elements (lists as <member> elements).

type createJobRequest struct {
	XMLName              xml.Name     `xml:"CreateJobRequest"`
	ConfirmationRequired bool         `xml:"ConfirmationRequired"`
	Operation            jobOperation `xml:"Operation"`
	Report               jobReport    `xml:"Report"`
	ClientRequestToken   string       `xml:"ClientRequestToken"`
	Manifest             *jobManifest `xml:"Manifest"`
	Description          string       `xml:"Description,omitempty"`
	Priority             *int         `xml:"Priority"`
	RoleArn              string       `xml:"RoleArn"`
	// ManifestGenerator is refused: only a manifest object is read.
	ManifestGenerator *xmlAnything `xml:"ManifestGenerator"`
}

// xmlAnything accepts an element it only needs to notice.
type xmlAnything struct {
	Inner []byte `xml:",innerxml"`
}

type jobOperation struct {
	LambdaInvoke *lambdaInvokeOperation `xml:"LambdaInvoke,omitempty"`
	// Other operations are refused; their presence is all that is read.
	S3PutObjectCopy    *xmlAnything `xml:"S3PutObjectCopy,omitempty"`
	S3PutObjectTagging *xmlAnything `xml:"S3PutObjectTagging,omitempty"`
}

type lambdaInvokeOperation struct {
	FunctionArn             string `xml:"FunctionArn"`
	InvocationSchemaVersion string `xml:"InvocationSchemaVersion,omitempty"`
}

type jobReport struct {
	Bucket      string `xml:"Bucket,omitempty"`
	Format      string `xml:"Format,omitempty"`
	Enabled     bool   `xml:"Enabled"`
	Prefix      string `xml:"Prefix,omitempty"`
	ReportScope string `xml:"ReportScope,omitempty"`
}

type jobManifest struct {
	Spec     manifestSpec     `xml:"Spec"`
	Location manifestLocation `xml:"Location"`
}

type manifestSpec struct {
	Format string   `xml:"Format"`
	Fields []string `xml:"Fields>member"`
}

type manifestLocation struct {
	ObjectArn       string `xml:"ObjectArn"`
	ObjectVersionId string `xml:"ObjectVersionId,omitempty"`
	ETag            string `xml:"ETag"`
}

type createJobResult struct {
	XMLName xml.Name `xml:"CreateJobResult"`
	Xmlns   string   `xml:"xmlns,attr"`
	JobID   string   `xml:"JobId"`
}

type describeJobResult struct {
	XMLName xml.Name      `xml:"DescribeJobResult"`
	Xmlns   string        `xml:"xmlns,attr"`
	Job     jobDescriptor `xml:"Job"`
}

type jobDescriptor struct {
	JobID                string          `xml:"JobId"`
	ConfirmationRequired bool            `xml:"ConfirmationRequired"`
	Description          string          `xml:"Description,omitempty"`
	JobArn               string          `xml:"JobArn"`
	Status               string          `xml:"Status"`
	Manifest             *jobManifest    `xml:"Manifest,omitempty"`
	Operation            jobOperation    `xml:"Operation"`
	Priority             int             `xml:"Priority"`
	ProgressSummary      progressSummary `xml:"ProgressSummary"`
	StatusUpdateReason   string          `xml:"StatusUpdateReason,omitempty"`
	FailureReasons       []jobFailure    `xml:"FailureReasons>member,omitempty"`
	Report               jobReport       `xml:"Report"`
	CreationTime         string          `xml:"CreationTime"`
	TerminationDate      string          `xml:"TerminationDate,omitempty"`
	RoleArn              string          `xml:"RoleArn"`
}

type progressSummary struct {
	TotalNumberOfTasks     int64 `xml:"TotalNumberOfTasks"`
	NumberOfTasksSucceeded int64 `xml:"NumberOfTasksSucceeded"`
	NumberOfTasksFailed    int64 `xml:"NumberOfTasksFailed"`
}

type jobFailure struct {
	FailureCode   string `xml:"FailureCode"`
	FailureReason string `xml:"FailureReason"`
}
